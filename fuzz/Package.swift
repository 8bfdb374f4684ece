// swift-tools-version: 6.0
// libFuzzer target for the playbook loader and validator. Built and run by scripts/fuzz.sh;
// see README.md. Kept out of the main package so that its sanitizer flags never touch it.
import PackageDescription

let package = Package(
    name: "incident-wizard-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        // The name makes the product reference below independent of the folder the repository is cloned into.
        .package(name: "incident-wizard", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver (header only; the code is in the toolchain's libFuzzer).
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        // The fuzz target. SwiftPM links every executable with `--defsym main=<Module>_main`, so
        // libFuzzer's own main cannot be used; PlaybookFuzzer_main hands over to libFuzzer's driver.
        .executableTarget(
            name: "PlaybookFuzzer",
            dependencies: ["CLibFuzzer", .product(name: "IncidentCore", package: "incident-wizard")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
