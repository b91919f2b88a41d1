import Foundation

#if FUZZING
// libFuzzer's entry (built with `--sanitize=fuzzer -Xswiftc -DFUZZING`, see scripts/fuzz): the
// target comes from ALGA_FUZZ_TARGET, since one binary holds them all.
let fuzzTarget: FuzzTarget = {
    guard let name = ProcessInfo.processInfo.environment["ALGA_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set ALGA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTarget.run(Data(bytes: data, count: size))
    return 0
}
#else
/// Without libFuzzer: `alga-fuzz TARGET FILE|DIR...` runs the target once over each input, so the
/// seed corpus and any saved crash replay in an ordinary build.
@main
enum Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--list"] {
            print(FuzzTarget.allCases.map(\.rawValue).joined(separator: "\n"))
            return
        }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: alga-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE|DIR...")
            exit(64)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files =
                isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { (path as NSString).appendingPathComponent($0) }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(data)
                count += 1
            }
        }
        print("\(target.rawValue): replayed \(count) inputs")
    }
}
#endif
