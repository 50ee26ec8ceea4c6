extension Unicode.Scalar {
    /// C0 and C1 control characters (general category Cc), including tab and line feed.
    var isControl: Bool { properties.generalCategory == .control }
}
