import Hummingbird

/// Builds the router of the console's pages and static files.
public enum ConsoleRouter {
    public static func make(services: ConsoleServices) throws -> Router<ConsoleContext> {
        let pages = PageRenderer(library: try PageRenderer.library(), platformName: services.settings.platformName)
        let router = Router(context: ConsoleContext.self)
        router.get("/static/**") { request, _ in
            StaticFiles.response(named: StaticFiles.name(requestedBy: request.uri.path) ?? "", to: request)
        }
        router.add(middleware: ConsoleErrorMiddleware(pages: pages, services: services))
        router.add(middleware: SessionMiddleware(services: services))
        LoginRoutes.add(to: router, services: services, pages: pages)
        DashboardPage.add(to: router, services: services, pages: pages)
        AssetPages.add(to: router, services: services, pages: pages)
        ChartRoutes.add(to: router, services: services)
        UserPages.add(to: router, services: services, pages: pages)
        TaskPages.add(to: router, services: services, pages: pages)
        AlertPages.add(to: router, services: services, pages: pages)
        UplinkPage.add(to: router, services: services, pages: pages)
        UploadPage.add(to: router, services: services, pages: pages)
        PortfolioPage.add(to: router, services: services, pages: pages)
        AnalyticsPage.add(to: router, services: services, pages: pages)
        ControlPages.add(to: router, services: services, pages: pages)
        return router
    }
}
