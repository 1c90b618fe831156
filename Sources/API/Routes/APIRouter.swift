import Hummingbird

/// Builds the router of the whole API.
public enum APIRouter {
    public static func make(services: APIServices) -> Router<APIContext> {
        let routes = allRoutes(services)
        let router = Router(context: APIContext.self)
        // Middleware applies to the routes added after it; metrics see the answers errors became.
        router.add(middleware: MetricsMiddleware(metrics: services.metrics))
        router.add(middleware: CORSMiddleware(policy: services.settings.cors))
        router.add(middleware: APIErrorMiddleware(routes: RouteTable(routes)))
        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
        }
        return router
    }

    static func allRoutes(_ services: APIServices) -> [APIRoute] {
        var routes = PublicRoutes.routes(services)
        for version in APIVersion.allCases {
            routes.append(ServiceListing.route(version))
            routes += PowerDataGet.routes(version, .meterData, services)
            routes.append(PowerDataPost.route(version, .meterData, services))
            guard version.isAtLeast(.v1_1) else { continue }
            routes.append(GetConnection.route(version, services))
            routes += PowerDataGet.routes(version, .prognosis, services)
            routes.append(PowerDataPost.route(version, .prognosis, services))
            routes.append(PriceDataPost.route(version, services))
            routes.append(WeatherDataPost.route(version, services))
            guard version.isAtLeast(.v1_2) else { continue }
            routes.append(UDIEventPost.route(version, services))
            routes.append(DeviceMessageGet.route(version, services))
        }
        routes += AssetRoutes.routes(services)
        routes += UserRoutes.routes(services)
        routes += SiteConnectionRoutes.routes(services)
        routes += AlertRoutes.routes(services)
        routes.append(PowerChartRoute.route(services))
        routes += RestoreData.routes(services)
        routes.append(APIRoute(.get, "/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try await services.metrics.exposition(services: services)))
            )
        })
        return routes
    }
}
