/// A non-negative decimal number as written (`12`, `1.5`, `.5`), kept exact in its integer part.
struct NumberScanner {
    var whole: Int64
    var fraction: Double
    var text: String

    /// Reads digits with an optional fraction at `index`; nil when there is no digit or the integer part overflows.
    static func scan(_ scalars: [Unicode.Scalar], _ index: inout Int) -> NumberScanner? {
        let start = index
        var whole: Int64 = 0
        var digits = 0
        var overflowed = false
        while index < scalars.count, let digit = asciiDigit(scalars[index]) {
            let (times, o1) = whole.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(digit)
            overflowed = overflowed || o1 || o2
            whole = plus
            digits += 1
            index += 1
        }
        var fraction = 0.0
        if index < scalars.count, scalars[index] == ".",
           index + 1 < scalars.count, asciiDigit(scalars[index + 1]) != nil {
            index += 1
            var scale = 0.1
            while index < scalars.count, let digit = asciiDigit(scalars[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
                index += 1
            }
        }
        guard digits > 0, !overflowed else {
            if digits == 0 { index = start }
            return nil
        }
        return NumberScanner(whole: whole, fraction: fraction,
                             text: String(String.UnicodeScalarView(scalars[start..<index])))
    }

    /// The number times `unit`, rounded to an integer; nil on overflow.
    func scaled(by unit: Int64) -> Int64? {
        let (product, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        // The fractional part is below one unit, so this cannot overflow on its own.
        let part = Int64((fraction * Double(unit)).rounded())
        let (sum, overflow2) = product.addingReportingOverflow(part)
        return overflow2 ? nil : sum
    }

    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Int64? {
        scalar.value >= 48 && scalar.value <= 57 ? Int64(scalar.value - 48) : nil
    }
}
