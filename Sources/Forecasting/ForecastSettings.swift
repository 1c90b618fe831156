/// The knobs of the forecaster. The defaults follow reference 7.1: a model per horizon, fitted
/// daily on the last 28 days, with cross-validated lags, regularisation and transform.
public struct ForecastSettings: Sendable, Equatable {
    /// Length of the training window in seconds (default 28 days).
    public var trainingWindow: Int64
    /// Models are refitted at every multiple of this many seconds since the epoch (default one
    /// day, so at 00:00 UTC); a forecast uses the latest fit made at or before its belief time.
    public var refitInterval: Int64
    /// Ridge penalties tried by cross-validation, relative to each feature's variance; 0 is plain
    /// OLS, which is skipped where the system is singular.
    public var ridgePenalties: [Double]
    /// Box-Cox powers tried against the untransformed series; one is kept only where
    /// cross-validation says it lowers the absolute error.
    public var boxCoxLambdas: [Double]
    /// Number of contiguous blocks the training rows are split into for cross-validation.
    public var folds: Int
    /// Fewest training rows a regression may be fitted on; below it the forecast is naive.
    public var minimumTrainingRows: Int
    /// Days of same-time history averaged (and maximised) into the daily-profile features.
    public var profileDays: Int
    /// Whether forecasts are clamped to the lowest and highest outcome of the training window:
    /// on for power, where going beyond what the asset did in four weeks is more likely an
    /// artefact of an extreme regressor value than a real event.
    public var clampsToTrainingRange: Bool

    /// Settings with the reference defaults; every parameter can be overridden.
    public init(
        trainingWindow: Int64 = 28 * 86_400,
        refitInterval: Int64 = 86_400,
        ridgePenalties: [Double] = [0, 1e-4, 1e-2, 1e-1],
        boxCoxLambdas: [Double] = [0.5],
        folds: Int = 4,
        minimumTrainingRows: Int = 48,
        profileDays: Int = 7,
        clampsToTrainingRange: Bool = true
    ) {
        self.trainingWindow = trainingWindow
        self.refitInterval = refitInterval
        self.ridgePenalties = ridgePenalties
        self.boxCoxLambdas = boxCoxLambdas
        self.folds = folds
        self.minimumTrainingRows = minimumTrainingRows
        self.profileDays = profileDays
        self.clampsToTrainingRange = clampsToTrainingRange
    }
}
