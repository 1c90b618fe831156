import Hummingbird

/// Builds the router of the console's pages and static files.
public enum ConsoleRouter {
    public static func make(services: ConsoleServices) -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.get("/static/{name}") { request, context in
            StaticFiles.response(named: context.parameters.get("name") ?? "", to: request)
        }
        return router
    }
}
