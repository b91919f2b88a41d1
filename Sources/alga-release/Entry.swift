import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

/// Parses argv, runs the command, and maps failures to the documented exit codes.
@main
enum Entry {
    static func main() async {
        if let word = CommandLine.arguments.dropFirst().first, let problem = Self.unknownCommand(word) {
            Console.error(problem)
            exit(ExitStatus.usage)
        }
        let command: any ParsableCommand
        do {
            command = try AlgaRelease.parseAsRoot()
        } catch {
            AlgaRelease.exit(withError: error)  // --help (0) and usage errors (64)
        }
        do {
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            Console.error("error: \(error)")
            exit(ExitStatus.unusableInput)
        } catch {
            // ExitCode, help requests and ValidationError (64) keep ArgumentParser's handling.
            AlgaRelease.exit(withError: error)
        }
    }
}

extension Entry {
    /// "unknown command 'valdate'; did you mean 'validate'?" for a first word that is no command,
    /// where ArgumentParser would only say "2 unexpected arguments".
    static func unknownCommand(_ word: String) -> String? {
        guard !word.hasPrefix("-"), word != "help" else { return nil }
        let names = AlgaRelease.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !names.contains(word) else { return nil }
        let closest = names.map { ($0, editDistance($0, word)) }.min { $0.1 < $1.1 }
        let hint = closest.flatMap { $0.1 <= max(2, word.count / 3) ? "; did you mean '\($0.0)'?" : nil } ?? ""
        return "error: unknown command '\(word)'\(hint) (commands: \(names.joined(separator: ", ")); alga-release --help)"
    }

    /// Levenshtein distance over characters; command names are short.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
