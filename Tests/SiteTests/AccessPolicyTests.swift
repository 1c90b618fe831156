import Beliefs
import Registry
import Site
import Testing

/// Who may use which asset and account: admins everything, a prosumer their own, nobody an unknown one;
/// each refusal says why, for the front end to answer in its own terms.
@Suite struct AccessPolicyTests {
    /// The test site with an admin and a second prosumer beside the owner of its assets.
    static func site() throws -> (TestSite, admin: User, other: User) {
        let test = try TestSite()
        let admin = try test.site.registry.addUser(NewUser(username: "admin", email: "admin@example.com", password: "password-admin", roles: ["admin"]))
        let other = try test.site.registry.addUser(NewUser(username: "other", email: "other@example.com", password: "password-other", roles: ["Prosumer"]))
        return (test, admin, other)
    }

    static func refusal(_ work: () throws -> Any) -> AccessProblem? {
        do {
            _ = try work()
            return nil
        } catch {
            return (error as? AccessError)?.reason
        }
    }

    static let uses: [AssetUse] = [.data(connection: "ea1.2018-06.localhost:2:5"), .control, .view, .change]

    @Test(arguments: uses)
    func theOwnerAndAnAdminMayUseAnAsset(use: AssetUse) throws {
        let (test, admin, _) = try Self.site()
        #expect(try test.site.asset(test.battery.id, for: test.user, to: use) == test.battery)
        #expect(try test.site.asset(test.battery.id, ownedBy: test.user.id, for: admin, to: use) == test.battery)
    }

    @Test(arguments: uses)
    func anotherProsumersAssetIsNotTheirs(use: AssetUse) throws {
        let (test, _, other) = try Self.site()
        #expect(Self.refusal { try test.site.asset(test.battery.id, for: other, to: use) } == .notYours(use))
    }

    @Test(arguments: uses + [.delete])
    func anUnknownAssetIsUnknownEvenToAnAdmin(use: AssetUse) throws {
        let (test, admin, _) = try Self.site()
        #expect(Self.refusal { try test.site.asset(999, for: admin, to: use) } == .unknownAsset(use))
    }

    @Test func anAssetOfAnotherOwnerThanTheAddressNamesIsUnknown() throws {
        let (test, admin, other) = try Self.site()
        #expect(Self.refusal { try test.site.asset(test.battery.id, ownedBy: other.id, for: admin, to: .control) } == .unknownAsset(.control))
    }

    @Test func onlyBatteriesAndChargePointsTakeUDIEvents() throws {
        let (test, admin, _) = try Self.site()
        #expect(Self.refusal { try test.site.asset(test.solar.id, for: admin, to: .control) } == .notControllable)
        #expect(try test.site.asset(test.evse.id, for: test.user, to: .control) == test.evse)
    }

    @Test func onlyAdminsDeleteAssets() throws {
        let (test, admin, _) = try Self.site()
        #expect(Self.refusal { try test.site.asset(test.solar.id, for: test.user, to: .delete) } == .adminOnly(.deleteAssets))
        #expect(try test.site.asset(test.solar.id, for: admin, to: .delete) == test.solar)
    }

    @Test func anAssetIsFoundByNameUnderTheSameRules() throws {
        let (test, _, other) = try Self.site()
        #expect(try test.site.asset(named: "solar", for: test.user, to: .view) == test.solar)
        #expect(Self.refusal { try test.site.asset(named: "solar", for: other, to: .view) } == .notYours(.view))
        let unknown = #expect(throws: AccessError.self) { try test.site.asset(named: "nope", for: test.user, to: .view) }
        #expect(unknown?.reason == .unknownAsset(.view) && unknown?.description == "Asset \"nope\" not found")
    }

    @Test func aProsumerListsTheirOwnAssetsAndAnAdminAnyones() throws {
        let (test, admin, other) = try Self.site()
        #expect(try test.site.assets(for: test.user).count == 4)
        #expect(try test.site.assets(for: test.user, ownedBy: test.user.id).count == 4)
        #expect(try test.site.assets(for: other).isEmpty)
        #expect(Self.refusal { try test.site.assets(for: other, ownedBy: test.user.id) } == .adminOnly(.listOtherUsersAssets))
        #expect(try test.site.assets(for: admin).count == 4)
        #expect(try test.site.assets(for: admin, ownedBy: other.id).isEmpty)
    }

    @Test func onlyAnAdminGivesAnAssetToAnotherOwner() throws {
        let (test, admin, other) = try Self.site()
        var fields = test.solar.fields
        fields.displayName = "roof"
        try test.site.checkChange(of: test.solar, to: fields, by: test.user)
        fields.ownerID = other.id
        #expect(Self.refusal { try test.site.checkChange(of: test.solar, to: fields, by: test.user) } == .adminOnly(.giveAssetToAnotherOwner))
        try test.site.checkChange(of: test.solar, to: fields, by: admin)
    }

    @Test func aUserSeesTheirOwnAccountAndAnAdminAnyone() throws {
        let (test, admin, other) = try Self.site()
        #expect(try test.site.user(test.user.id, for: test.user, to: .change).id == test.user.id)
        #expect(try test.site.user(other.id, for: admin, to: .view).id == other.id)
        #expect(Self.refusal { try test.site.user(other.id, for: test.user, to: .view) } == .notYou)
        #expect(Self.refusal { try test.site.user(999, for: admin, to: .view) } == .unknownUser)
        #expect(Self.refusal { try test.site.user(test.user.id, for: test.user, to: .resetPassword) } == .adminOnly(.resetPasswords))
        #expect(Self.refusal { try test.site.user(999, for: test.user, to: .resetPassword) } == .unknownUser)
    }

    @Test func restrictedFieldsAreChangedByAnotherAdminOnly() throws {
        let (test, admin, _) = try Self.site()
        try test.site.checkChange(of: test.user, touching: [.username, .timezone], by: test.user)
        #expect(Self.refusal { try test.site.checkChange(of: test.user, touching: [.email], by: test.user) } == .restrictedField)
        #expect(Self.refusal { try test.site.checkChange(of: admin, touching: [.roles], by: admin) } == .restrictedField)
        try test.site.checkChange(of: test.user, touching: [.active, .email, .roles], by: admin)
    }

    @Test(arguments: [AdminAction.createAssets, .listUsers, .setSiteConnection, .removeSiteConnection, .restoreBeliefs])
    func onlyAdminsDoWhatIsTheirs(action: AdminAction) throws {
        let (test, admin, _) = try Self.site()
        try test.site.requireAdmin(admin, to: action)
        #expect(Self.refusal { try test.site.requireAdmin(test.user, to: action) } == .adminOnly(action))
    }
}
