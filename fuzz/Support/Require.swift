/// Invariant checks for the fuzz harnesses, compiled into every target.
///
/// Why not `precondition`: with `-O` it traps without printing its message, and the report would say only "deadly
/// signal". `fatalError` prints the message in every build, and libFuzzer then saves the input that caused it.
func require(_ condition: Bool, _ message: @autoclosure () -> String = "invariant violated",
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz invariant: " + message(), file: file, line: line) }
}

/// An invariant that cannot hold once this line is reached.
func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz invariant: " + message, file: file, line: line)
}
