import JobQueue
import Testing

@Suite("Duration and ByteCount text forms")
struct DurationTextTests {
    @Test(arguments: [
        ("1500ms", Duration.milliseconds(1500)),
        ("90s", .seconds(90)),
        ("1.5s", .milliseconds(1500)),
        ("0.25s", .milliseconds(250)),
        ("5m", .seconds(300)),
        ("1.5m", .seconds(90)),
        ("1h", .seconds(3600)),
        ("2d", .seconds(172_800)),
        ("0s", .zero),
        ("0ms", .zero),
        ("007s", .seconds(7)),
        ("1.50s", .milliseconds(1500)),
    ])
    func parsesDurations(text: String, expected: Duration) {
        #expect(Duration(text: text) == expected)
    }

    @Test(arguments: [
        "", "30", "-5s", "+5s", "5 s", " 5s", "5s ", "5S", "5sec", "1.5", ".5s", "5.s", "1..5s", "s",
        "0.5ms", "1.0001s", "99999999999999999999d", "9999999999999999d", "1e3s", "5m30s",
    ])
    func rejectsMalformedDurations(text: String) {
        #expect(Duration(text: text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(30), "30s"),
        (.milliseconds(1500), "1500ms"),
        (.seconds(3600), "1h"),
        (.seconds(5400), "90m"),
        (.seconds(86_400), "1d"),
        (.milliseconds(1), "1ms"),
        (.zero, "0s"),
        (.milliseconds(-30_000), "-30s"),
    ])
    func formatsDurations(duration: Duration, expected: String) {
        #expect(duration.text == expected)
    }

    @Test func durationTextRoundTrips() {
        for milliseconds: Int64 in [1, 10, 999, 1000, 1001, 60_000, 90_000, 3_600_000, 86_400_000, 123_456_789] {
            let duration = Duration.milliseconds(milliseconds)
            #expect(Duration(text: duration.text) == duration)
        }
    }

    @Test func subMillisecondDurationsAreShownApproximately() {
        #expect(Duration.microseconds(250).text == "0.25ms")
    }

    @Test(arguments: [
        ("1048576", 1_048_576),
        ("0", 0),
        ("512B", 512),
        ("1KB", 1000),
        ("1MB", 1_000_000),
        ("2GB", 2_000_000_000),
        ("1KiB", 1024),
        ("1MiB", 1_048_576),
        ("4GiB", 4_294_967_296),
        ("1.5MiB", 1_572_864),
        ("0.5KB", 500),
    ])
    func parsesByteCounts(text: String, expected: Int) {
        #expect(ByteCount.parse(text) == expected)
    }

    @Test(arguments: ["", "MiB", "-1", "-1MiB", "1mb", "1 MiB", "1TiB", "1.5B", "0.1KiB", "1.5", "1e6", "99999999999GiB"])
    func rejectsMalformedByteCounts(text: String) {
        #expect(ByteCount.parse(text) == nil)
    }

    @Test(arguments: [
        (1_048_576, "1MiB"),
        (1_000_000, "1MB"),
        (4 << 30, "4GiB"),
        (1024, "1KiB"),
        (1000, "1KB"),
        (1_024_000, "1024KB"),
        (1500, "1500B"),
        (1, "1B"),
        (0, "0B"),
        (268_435_456, "256MiB"),
    ])
    func formatsByteCounts(bytes: Int, expected: String) {
        #expect(ByteCount.format(bytes) == expected)
    }

    @Test func byteCountFormatRoundTrips() {
        for bytes in [1, 999, 1000, 1024, 65_536, 1_000_000, 1_048_576, 3 << 30, 123_456_789] {
            #expect(ByteCount.parse(ByteCount.format(bytes)) == bytes)
        }
    }
}
