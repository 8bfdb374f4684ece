import ArgumentParser
import Foundation
import IncidentCore
import IncidentEdges

extension FlowchartRenderer.Format: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Print a playbook's step flow as a flowchart (Mermaid or Graphviz dot).")

    @Argument(help: "A playbook id or file path.")
    var playbook: String

    @Option(help: "mermaid or dot.")
    var format: FlowchartRenderer.Format = .mermaid

    @Option(help: "The language of the step titles (default: the playbook's first).")
    var lang: String?

    @OptionGroup var options: PlaybooksOption

    func run() throws {
        let resolved: PlaybookResolver.Resolved
        do {
            resolved = try PlaybookResolver(option: options.playbooks).resolve(playbook)
        } catch let failure as PlaybookResolver.Failure {
            failure.printDiagnostics()
            throw failure
        }
        Output.document(FlowchartRenderer(playbook: resolved.playbook, language: lang).render(format))
    }
}
