import Foundation

/// Prints a line at once (`print` is block-buffered when the output is a pipe): long suites show their
/// seed and findings while they run, and scripts read their summary lines from the output.
func printNow(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
