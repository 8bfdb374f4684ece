// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "incident-wizard",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "incident-wizard", targets: ["incident-wizard"]),
        .library(name: "IncidentCore", targets: ["IncidentCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // The pure core: playbook model, loader and validator with positions, engine, graph, and
        // one interaction model per step type (what every input means).
        // Foundation, Yams and Crypto only: no terminal, no processes, no clock it is not given.
        .target(
            name: "IncidentCore",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The pure views: the full screen's cells and plain mode's lines, drawn from the step
        // models, and the keys and typed lines turned into their inputs. Testable without a
        // terminal: tests assert the rendered lines.
        .target(
            name: "IncidentUI",
            dependencies: ["IncidentCore"]
        ),
        // Debian's ncursesw, through a shim that exposes what Swift cannot import directly.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // Debian's libqrencode, for the QR code that carries the record's summary to a phone,
        // linked (its module map) and called directly (QRCode.swift).
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", providers: [.apt(["libqrencode-dev"])]),
        // Debian's libzip, for the record's zip on a USB stick, linked (its module map) and called
        // directly (ZipExport.swift).
        .systemLibrary(name: "CZip", path: "Sources/CZip", providers: [.apt(["libzip-dev"])]),
        // The process-wide state and system calls the Swift modules share, defined once in C:
        // the signal flag, the terminal's last-resort restore, commands in process groups of
        // their own. (State in a header imported by several modules exists once per module.)
        .target(name: "CSupport", linkerSettings: [.linkedLibrary("ncursesw")]),
        // The two front ends over one step driver: the curses terminal (set-up, locale, drawing,
        // keys, restore) and plain mode's lines.
        .target(
            name: "IncidentTerminal",
            dependencies: ["CNcursesw", "CSupport", "IncidentCore", "IncidentUI", "IncidentEdges"]
        ),
        // The other thin edges: the report store, system probes, processes, evidence, the
        // playbook catalog, plain mode's console.
        .target(
            name: "IncidentEdges",
            dependencies: ["CSupport", "CQRencode", "CZip", "IncidentCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The executable only wires the edges to the core and parses the command line.
        .executableTarget(
            name: "incident-wizard",
            dependencies: [
                "IncidentCore", "IncidentEdges", "IncidentTerminal", "IncidentUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "IncidentCoreTests",
            dependencies: ["IncidentCore", "CNcursesw"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "IncidentUITests",
            dependencies: ["IncidentUI", "IncidentCore"]
        ),
        // The program loop in-process: SessionRuntime and plain mode over fake edges (a journal
        // chained in memory, scripted network readings, commands the tests end or cancel).
        .testTarget(
            name: "IncidentTerminalTests",
            dependencies: ["IncidentTerminal", "IncidentCore", "IncidentUI"]
        ),
        .testTarget(
            name: "IncidentWizardCLITests",
            dependencies: ["IncidentCore", "IncidentEdges", "incident-wizard"],
            // The exports' validator script and the Incident Core schema it gives stix2-validator.
            exclude: ["Exports"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
