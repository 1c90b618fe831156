@testable import App
import Foundation
import Testing

/// Every setting is declared once; README's configuration table and `config show` say what the
/// declarations say.
@Suite struct SettingDeclarationTests {
    /// README's configuration table: each row's variable and default, backticks dropped.
    static func readmeTable() throws -> [(name: String, defaultText: String)] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "| variable | default | meaning |").dropFirst().first)
        return section.split(separator: "\n").dropFirst().prefix { $0.hasPrefix("|") }.map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "")
            }
            return (cells[1], cells[2])
        }
    }

    @Test func readmeListsEverySettingWithItsDeclaredDefault() throws {
        let table = try Self.readmeTable()
        #expect(table.map(\.name) == Settings.all.map(\.name), "README's rows and the declarations differ in names or order")
        for (row, declaration) in zip(table, Settings.all) where row.name == declaration.name {
            #expect(row.defaultText == declaration.defaultText, "\(row.name): README says \(row.defaultText), the declaration \(declaration.defaultText)")
        }
    }

    @Test func everySettingIsDeclaredOnce() {
        let names = Settings.all.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test func defaultsParseToTheDefaultValues() throws {
        // A declaration's written default, read back by its own parser, is its default value.
        #expect(try Settings.tokenMaxAge.parse(Settings.tokenMaxAge.defaultText) == Settings.tokenMaxAge.defaultValue)
        #expect(try Settings.maximumSlots.parse(Settings.maximumSlots.defaultText) == Settings.maximumSlots.defaultValue)
        #expect(try Settings.planningHorizon.parse(Settings.planningHorizon.defaultText) == Settings.planningHorizon.defaultValue)
        #expect(try Settings.planningTTL.parse(Settings.planningTTL.defaultText) == Settings.planningTTL.defaultValue)
        #expect(try Settings.loggingLevel.parse(Settings.loggingLevel.defaultText) == Settings.loggingLevel.defaultValue)
        #expect(try Settings.bcryptCost.parse(Settings.bcryptCost.defaultText) == Settings.bcryptCost.defaultValue)
        #expect(try Settings.hostsAndAuthStart.parse(Settings.hostsAndAuthStart.defaultText) == Settings.hostsAndAuthStart.defaultValue)
        #expect(try Settings.corsResources.parse(Settings.corsResources.defaultText) == Settings.corsResources.defaultValue)
        #expect(try Settings.regressorDistance.parse(Settings.regressorDistance.defaultText) == Settings.regressorDistance.defaultValue)
        #expect(try Settings.forecastMeterData.parse(Settings.forecastMeterData.defaultText) == Settings.forecastMeterData.defaultValue)
        #expect(try Settings.headerTimeout.parse(Settings.headerTimeout.defaultText) == Settings.headerTimeout.defaultValue)
        #expect(try Settings.maximumBodyBytes.parse(Settings.maximumBodyBytes.defaultText) == Settings.maximumBodyBytes.defaultValue)
        #expect(try Settings.corsCredentials.parse(Settings.corsCredentials.defaultText) == Settings.corsCredentials.defaultValue)
        #expect(try Settings.tokenHeader.parse(Settings.tokenHeader.defaultText) == Settings.tokenHeader.defaultValue)
    }
}
