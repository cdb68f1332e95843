// The libFuzzer entry points every fuzz target shares. A target's `main.swift` calls `runFuzzer` with its
// per-input check; SwiftPM links executables with `main` renamed to `<target>_main`, so libFuzzer is started
// through `LLVMFuzzerRunDriver` rather than through its own `main`.

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The check of the target being run; set once by `runFuzzer`, before libFuzzer calls back.
nonisolated(unsafe) private var check: (UnsafeRawBufferPointer) -> Void = { _ in }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    check(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Runs libFuzzer over `body` with the process's arguments (`-max_total_time=60 corpus/`…). A finding is a
/// crash or a failed `require` inside `body`; throwing on bad input is the expected, uninteresting outcome.
public func runFuzzer(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    check = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
}

/// Stops the fuzzer with a finding when `condition` does not hold.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property failed: \(message())") }
}

@_silgen_name("exit")
private func exit(_ code: CInt) -> Never
