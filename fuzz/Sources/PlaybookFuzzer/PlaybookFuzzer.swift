import CLibFuzzer
import Foundation
import IncidentCore

/// A fixed "today", so that the validator's contact-age warnings do not depend on the clock
/// and a reproducer behaves the same on every day.
private let validator = PlaybookValidator(today: CalendarDay(year: 2026, month: 1, day: 15)!)

/// libFuzzer's entry point: the input is the bytes of one playbook file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let loaded = PlaybookLoader.load(bytes, path: "fuzz.yaml")
    if let playbook = loaded.value {
        _ = validator.validate(playbook, source: loaded.source)
    }
    // The shared contacts file goes through the same YAML reader; its contacts get the validator's
    // per-contact checks too.
    if let contacts = ContactsLoader.load(bytes, path: "contacts.yaml").value {
        for contact in contacts.values { _ = validator.contactWarnings(contact) }
    }
    return 0
}

/// The program's entry point. SwiftPM links an executable target with `--defsym main=PlaybookFuzzer_main`
/// (so that tests could link the module), which leaves libFuzzer's own `main` unused; this hands
/// the command line to libFuzzer's driver instead, exactly as its `main` would.
@_cdecl("PlaybookFuzzer_main")
public func playbookFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}
