/// Why a real scan would not work, as a drill's scan screen says (`drillScanRealFails`).
public enum ScanProblem: Sendable, Hashable {
    case notInstalled(String)
    case daemonNotAnswering(String)
}
