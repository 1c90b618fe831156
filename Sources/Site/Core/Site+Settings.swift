import Beliefs

extension Site {
    /// What the site's work depends on, whichever front end asks for it.
    public struct Settings: Sendable {
        /// How far ahead schedules plan (`FLEXMEASURES_PLANNING_HORIZON`, 48 hours by default).
        public var planningHorizon: Timespan = .hours(48)
        /// How long a scheduling job and its result are kept (`FLEXMEASURES_PLANNING_TTL`, 7 days by default).
        public var planningTTL: Timespan = .days(7)
        /// Where `restoreData` finds named backups (`FLEXMEASURES_DB_BACKUP_PATH`).
        public var backupDirectory = "var/backups"
        /// How far a weather sensor may be from an asset to serve its forecasts as a regressor.
        public var regressorDistanceKilometres: Double = 100
        /// Whether meter data queues forecasts of what comes next (`FLEXMEASURES_FORECAST_METER_DATA`).
        public var forecastAfterMeterData = true
        /// The most time slots one request, plan or forecasting job may cover at the sensor's resolution
        /// (`FLEXMEASURES_MAX_SLOTS_PER_REQUEST`; ten years of quarter hours).
        public var maximumSlotsPerRequest = Settings.defaultMaximumSlotsPerRequest
        /// How many beliefs a post may store per value it sent, when coarser data is repeated to the sensor's
        /// resolution (`FLEXMEASURES_MAX_UPSAMPLING`; a day of quarter hours from one daily value).
        public var maximumUpsampling = Settings.defaultMaximumUpsampling
        /// How long a delivered alert notice is kept in the outbox before the timer prunes it
        /// (`FLEXMEASURES_ALERT_RETENTION`, 30 days by default).
        public var alertNoticeRetention: Timespan = .days(30)

        public static let defaultMaximumSlotsPerRequest = 350_640
        public static let defaultMaximumUpsampling = 96

        public init() {}
    }
}
