/// Which power data a message carries: measured (meter data) or expected (prognoses).
enum PowerDataKind {
    case meterData, prognosis
}
