import Site

/// The Vega-Lite specifications of the portfolio, analytics and control pages; their data are the named
/// dataset "values", served apart.
extension ChartSpecs {
    private static func field(_ name: String, _ type: String, title: JSONValue = .null, extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = ["field": .string(name), "type": .string(type), "title": title]
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    private static let timeTooltip: JSONValue = .object(["field": .string("time"), "type": .string("temporal"), "format": .string("%Y-%m-%d %H:%M"), "title": .string("Time")])

    /// Energy per asset type and day, stacked: consumption above zero, production below (records
    /// `{day: "yyyy-mm-dd", type, flow, energy}`, energy in MWh, production negative).
    static func portfolio() -> JSONValue {
        .object([
            "$schema": .string(schema),
            "description": .string("Energy per asset type and day"),
            "width": .string("container"), "height": .number(280), "autosize": .object(["type": .string("fit-x"), "contains": .string("padding")]),
            "data": .object(["name": .string("values")]),
            "mark": .object(["type": .string("bar"), "tooltip": .bool(true)]),
            "encoding": .object([
                "x": field("day", "ordinal", title: .string("Day (UTC)")),
                "y": field("energy", "quantitative", title: .string("MWh (consumption up, production down)"), extra: ["aggregate": .string("sum"), "stack": .string("zero")]),
                "color": field("type", "nominal", title: .string("Asset type")),
                "tooltip": .array([
                    field("day", "ordinal", title: .string("Day")), field("type", "nominal", title: .string("Asset type")),
                    field("flow", "nominal", title: .string("Flow")),
                    field("energy", "quantitative", title: .string("MWh"), extra: ["format": .string(".3f")]),
                ]),
            ]),
        ])
    }

    /// One panel per kind of record (`{time: epoch ms, value, series, panel}`), one above the other on a
    /// shared time axis: `panels` are (panel, y-axis title) pairs. A facet by panel rather than a
    /// concatenation: a panel without records in the window is left out, not drawn empty (an empty view of
    /// a concatenation gets infinite extents).
    private static func panels(_ description: String, _ panels: [(String, String)]) -> JSONValue {
        let titles = panels.map { "'\($0.0)': '\($0.1)'" }.joined(separator: ", ")
        return .object([
            "$schema": .string(schema),
            "description": .string(description),
            "data": .object(["name": .string("values")]),
            "facet": .object(["row": .object([
                "field": .string("panel"), "type": .string("nominal"), "title": .null,
                "sort": .array(panels.map { .string($0.0) }),
                "header": .object(["labelExpr": .string("({\(titles)})[datum.value] || datum.value"), "labelAngle": .number(0),
                                   "labelAlign": .string("left"), "labelAnchor": .string("start"), "labelOrient": .string("top")]),
            ])]),
            "resolve": .object(["scale": .object(["y": .string("independent"), "color": .string("independent")])]),
            "spec": .object([
                "width": .string("container"), "height": .number(160),
                "mark": .object(["type": .string("line"), "interpolate": .string("step-after"), "point": .object(["filled": .bool(true), "size": .number(10)])]),
                "encoding": .object([
                    "x": field("time", "temporal"),
                    "y": field("value", "quantitative", title: .null),
                    "color": field("series", "nominal"),
                    "tooltip": .array([timeTooltip, field("series", "nominal", title: .string("Series")),
                                       field("value", "quantitative", title: .string("Value"), extra: ["format": .string(".3f")])]),
                ]),
            ]),
        ])
    }

    /// Measured and forecast power, prices and weather over the analytics window.
    static func analytics() -> JSONValue {
        panels("Power, prices and weather", [("power", "MW (consumption positive)"), ("price", "Price"), ("weather", "Weather")])
    }

    /// A device's planned power, its state of charge and the prices over the planning horizon.
    static func control() -> JSONValue {
        panels("Planned power, state of charge and prices", [("power", "Planned MW (consumption positive)"), ("soc", "State of charge (MWh)"), ("price", "Price")])
    }
}
