import Hummingbird

/// Builds the router of the whole API.
public enum APIRouter {
    public static func make(services: APIServices) -> Router<APIContext> {
        let routes = allRoutes(services)
        let router = Router(context: APIContext.self)
        // Middleware applies to the routes added after it.
        router.add(middleware: APIErrorMiddleware(routes: RouteTable(routes)))
        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
        }
        return router
    }

    static func allRoutes(_ services: APIServices) -> [APIRoute] {
        PublicRoutes.routes(services)
    }
}
