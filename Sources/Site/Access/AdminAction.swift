/// What only admins may do.
public enum AdminAction: Sendable, Hashable {
    case createAssets, deleteAssets, listOtherUsersAssets, giveAssetToAnotherOwner
    case listUsers, resetPasswords
    case setSiteConnection, removeSiteConnection
    /// Replace every belief with a backup's (restoreData).
    case restoreBeliefs

    /// What a refusal tells the user (restoreData's as the endpoint has always said it).
    var refusal: String {
        switch self {
        case .restoreBeliefs: "restoreData is for administrators"
        default: "You cannot be authorized for this content or functionality: only admins \(action)."
        }
    }

    private var action: String {
        switch self {
        case .createAssets: "create assets"
        case .deleteAssets: "delete assets"
        case .listOtherUsersAssets: "list other users' assets"
        case .giveAssetToAnotherOwner: "give an asset to another owner"
        case .listUsers: "list users"
        case .resetPasswords: "reset passwords"
        case .setSiteConnection: "set the site connection"
        case .removeSiteConnection: "remove the site connection"
        case .restoreBeliefs: "restore backups"
        }
    }
}
