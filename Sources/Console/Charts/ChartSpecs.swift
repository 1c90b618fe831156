import Site

/// The Vega-Lite specifications the console's pages draw, made here and served apart from their data (the
/// named dataset "values"), so that a change of window fetches only data.
enum ChartSpecs {
    static let schema = "https://vega.github.io/schema/vega-lite/v5.json"

    /// Power over time, one colour per kind of belief (measurements, forecasts, schedules).
    static func power(title: String) -> JSONValue {
        .object([
            "$schema": .string(schema),
            "description": .string(title),
            "width": .string("container"), "height": .number(260), "autosize": .object(["type": .string("fit-x"), "contains": .string("padding")]),
            "data": .object(["name": .string("values")]),
            "mark": .object(["type": .string("line"), "point": .object(["filled": .bool(true), "size": .number(12)]), "interpolate": .string("step-after")]),
            "encoding": .object([
                "x": .object(["field": .string("time"), "type": .string("temporal"), "title": .null]),
                "y": .object(["field": .string("value"), "type": .string("quantitative"), "title": .string("MW (consumption positive)")]),
                "color": .object(["field": .string("line"), "type": .string("nominal"), "title": .null,
                                  "scale": .object(["domain": .array(["measurements", "forecasts", "schedules"].map(JSONValue.string)),
                                                    "range": .array(["#1d4ed8", "#a16207", "#0b6e4f"].map(JSONValue.string))])]),
                "tooltip": .array([
                    .object(["field": .string("time"), "type": .string("temporal"), "format": .string("%Y-%m-%d %H:%M")]),
                    .object(["field": .string("value"), "type": .string("quantitative"), "format": .string(".3f")]),
                    .object(["field": .string("line"), "type": .string("nominal")]),
                ]),
            ]),
        ])
    }

    /// The assets on a plain projection of their coordinates: no tiles, nothing from the internet. A
    /// transparent frame around them keeps a single asset (or assets on one spot) in view.
    static func map() -> JSONValue {
        let projection: JSONValue = .object(["type": .string("equalEarth")])
        return .object([
            "$schema": .string(schema),
            "description": .string("Map of the site's assets"),
            "width": .string("container"), "height": .number(320),
            "autosize": .object(["type": .string("fit"), "contains": .string("padding")]),
            "projection": projection,
            "data": .object(["name": .string("values")]),
            "layer": .array([
                .object([
                    "transform": .array([.object(["filter": .string("datum.frame")])]),
                    "mark": .object(["type": .string("point"), "opacity": .number(0)]),
                    "encoding": .object([
                        "longitude": .object(["field": .string("longitude"), "type": .string("quantitative")]),
                        "latitude": .object(["field": .string("latitude"), "type": .string("quantitative")]),
                    ]),
                ]),
                .object([
                    "transform": .array([.object(["filter": .string("!datum.frame")])]),
                    "mark": .object(["type": .string("circle"), "size": .number(160), "tooltip": .bool(true)]),
                    "encoding": .object([
                        "longitude": .object(["field": .string("longitude"), "type": .string("quantitative")]),
                        "latitude": .object(["field": .string("latitude"), "type": .string("quantitative")]),
                        // Each point is labelled with its name and has its type in the tooltip: no legend to crowd the map.
                        "color": .object(["field": .string("type"), "type": .string("nominal"), "title": .string("Type"), "legend": .null]),
                        "href": .object(["field": .string("href"), "type": .string("nominal")]),
                        "tooltip": .array([
                            .object(["field": .string("name"), "type": .string("nominal"), "title": .string("Asset")]),
                            .object(["field": .string("type"), "type": .string("nominal"), "title": .string("Type")]),
                        ]),
                    ]),
                ]),
                .object([
                    "transform": .array([.object(["filter": .string("!datum.frame")])]),
                    "mark": .object(["type": .string("text"), "dy": .number(-12), "fontSize": .number(11)]),
                    "encoding": .object([
                        "longitude": .object(["field": .string("longitude"), "type": .string("quantitative")]),
                        "latitude": .object(["field": .string("latitude"), "type": .string("quantitative")]),
                        "text": .object(["field": .string("name"), "type": .string("nominal")]),
                    ]),
                ]),
            ]),
        ])
    }
}
