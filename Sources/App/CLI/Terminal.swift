import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading answers from whoever runs a command: a person at a terminal, or a script piping stdin.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads a secret without echo on a terminal; reads one line from a pipe.
    static func readSecret(prompt: String) -> String? {
        if isInteractive {
            guard let pointer = getpass(prompt) else { return nil }
            return String(cString: pointer)
        }
        return readLine(strippingNewline: true)
    }

    /// Asks a yes/no question; anything but y or yes is no.
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N]: ".utf8))
        guard let answer = readLine(strippingNewline: true)?.lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }
}
