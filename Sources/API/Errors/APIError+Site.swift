import Site

extension APIError {
    /// The answer to a refusal of the site, the one place where the site's typed errors become the
    /// reference's statuses; nil for what is no refusal (a failure of the server).
    init?(refusal error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as BoundsError: self.init(error)
        case let error as IngestError: self.init(error)
        case let error as PostError: self.init(error)
        case let error as ReadingError: self.init(error)
        case let error as UDIEventError: self.init(error)
        case let error as DevicePlanError: self.init(error)
        case let error as ChartError: self.init(error)
        case let error as AccessError: self.init(error)
        case let error as RestoreError: self.init(error)
        case let error as AlertError: self.init(error)
        default: return nil
        }
    }

    /// A window or a post larger than one request may be.
    init(_ error: BoundsError) {
        self = .invalidPeriod(error.description)
    }

    /// The site's refusal of a batch of beliefs.
    init(_ error: IngestError) {
        switch error.reason {
        case .alreadyStored:
            self = .alreadyReceived("Some of the data has already been received and successfully processed: \(error.description). Nothing of this message was stored.")
        case .offGrid:
            self = .invalidPeriod("\(error.description); start on the asset's resolution grid")
        case .unknownSensor, .unknownSource:
            self = .unrecognizedAsset(error.description)
        case .invalid:
            self = .invalidRequest(error.description)
        }
    }

    /// The site's refusal of posted power, prices or weather.
    init(_ error: PostError) {
        switch error.reason {
        case .resolutionNotAMultiple, .resolutionMismatch: self = .invalidResolution(error.description)
        case .valueTooBig: self = .powerValueTooBig(error.description)
        case .valueTooSmall: self = .powerValueTooSmall(error.description)
        case .positiveHorizonForMeterData: self = .invalidHorizon(error.description)
        }
    }

    /// The site's refusal of a read of power data.
    init(_ error: ReadingError) {
        switch error.reason {
        case .unknownSource: self = .invalidSource(error.description)
        case .resolutionNotAMultiple: self = .invalidResolution(error.description)
        }
    }

    /// The site's refusal of a UDI event.
    init(_ error: UDIEventError) {
        switch error.reason {
        case .outdated: self = .outdatedUDIEvent(error.description)
        case .unit: self = .invalidUnit(error.description)
        case .datetime: self = .invalidDatetime(error.description)
        case .tooManyTargets: self = .invalidRequest(error.description)
        }
    }

    /// Why there is no device message (yet).
    init(_ error: DevicePlanError) {
        switch error.reason {
        case .unknownPrices: self = .unknownPrices(error.description)
        case .notPlanned, .waiting, .inProgress, .failed, .expired: self = .unknownSchedule(error.description)
        }
    }

    /// A chart asked for with a window or resolution it cannot have: the field to fix (v2.0 REST, 422).
    init(_ error: ChartError) {
        switch error.reason {
        case .window: self = .unprocessable(error.description, fields: ["end_time": [error.description]])
        case .resolution: self = .unprocessable("bad resolution", fields: ["resolution": [error.description]])
        }
    }

    /// A use of an asset, an account or the site that the user may not make: USEF messages name assets in
    /// the reference's connection statuses, the REST resources answer 404 and 403.
    init(_ error: AccessError) {
        switch error.reason {
        case .unknownAsset(.data): self = .unrecognizedAsset(error.description)
        case .unknownAsset(.control), .notYours(.data), .notYours(.control): self = .unrecognizedConnectionGroup(error.description)
        case .unknownAsset, .unknownUser: self = .notFound(error.description)
        case .notYours, .notYou, .adminOnly, .restrictedField: self = .invalidSender(error.description)
        case .notControllable: self = .invalidDomain(error.description)
        }
    }

    /// Why a backup cannot be restored.
    init(_ error: RestoreError) {
        switch error.reason {
        case .unnamed: self = .noBackup(error.description)
        case .invalidName, .unknownBackup, .invalidRows, .refused: self = .unrecognizedBackup(error.description)
        }
    }

    /// The site's refusal of a request about alert rules, alerts or silences (v2.0 REST).
    init(_ error: AlertError) {
        switch error.reason {
        case let .invalid(fields): self = .unprocessable(error.description, fields: fields)
        case .notFound: self = .notFound(error.description)
        case .forbidden: self = .invalidSender("You cannot be authorized for this content or functionality: \(error.description).")
        case .tooMany: self = .unprocessable(error.description, fields: ["_schema": [error.description]])
        }
    }
}
