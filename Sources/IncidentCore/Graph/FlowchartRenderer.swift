/// Draws a playbook's step flow as a flowchart for the administrator: Mermaid (for Markdown
/// viewers) or Graphviz dot. Built from `FlowGraph`, so it shows exactly what the engine walks.
public struct FlowchartRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot
    }

    public let playbook: Playbook
    public let language: String

    public init(playbook: Playbook, language: String? = nil) {
        self.playbook = playbook
        self.language = language ?? playbook.languageCodes.first ?? "en"
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .mermaid: return mermaid()
        case .dot: return dot()
        }
    }

    private var graph: FlowGraph { FlowGraph(playbook) }

    /// Node ids safe in both formats: `s_` + the slug with `-` as `_` (slugs cannot contain `_`, so
    /// ids stay unique).
    private func nodeID(_ stepID: String) -> String { "s_" + stepID.replacingOccurrences(of: "-", with: "_") }
    private static let finishID = "finish"
    private static let startID = "start"

    private func label(_ step: Step) -> String {
        let title = Sanitizer.neutralise(step.title.resolved(language), keepNewlines: false)
        return "\(title)\n\(step.id.value) · \(step.kind.typeName)"
    }

    private func targetID(_ target: FlowTarget) -> String {
        switch target {
        case .end: return Self.finishID
        case .step(let id): return nodeID(id)
        }
    }

    // MARK: Mermaid

    private func mermaidText(_ text: String) -> String {
        // Mermaid strings: no raw quotes; entity codes are the documented escape. Newlines as <br/>.
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n": out += "<br/>"
            default: out.append(character)
            }
        }
        return "\"" + out + "\""
    }

    private func mermaidShape(_ step: Step) -> String {
        let text = mermaidText(label(step))
        switch step.kind {
        case .choice, .confirm: return "{\(text)}"
        case .scan, .collect, .network: return "[[\(text)]]"
        case .end: return "([\(text)])"
        case .notify: return "[/\(text)/]"
        default: return "[\(text)]"
        }
    }

    func mermaid() -> String {
        var lines = ["flowchart TD"]
        let title = Sanitizer.neutralise(playbook.title.resolved(language), keepNewlines: false)
        lines.append("    \(Self.startID)((\(mermaidText("▶ " + title))))")
        lines.append("    \(Self.finishID)((\(mermaidText("■ end"))))")
        var seen: Set<String> = []
        for step in playbook.steps where seen.insert(step.id.value).inserted {
            lines.append("    \(nodeID(step.id.value))\(mermaidShape(step))")
        }
        lines.append("    \(Self.startID) --> \(nodeID(playbook.startStepID))")
        seen = []
        for step in playbook.steps where seen.insert(step.id.value).inserted {
            for edge in graph.edges(of: step) {
                let arrow = edge.label == "skipped" ? "-.->" : "-->"
                let labelPart = edge.label.map { "|\(mermaidText($0))|" } ?? ""
                lines.append("    \(nodeID(step.id.value)) \(arrow)\(labelPart) \(targetID(edge.target))")
            }
            if case .end = step.kind { lines.append("    \(nodeID(step.id.value)) --> \(Self.finishID)") }
        }
        let critical = playbook.steps.filter(\.critical).map { nodeID($0.id.value) }
        lines.append("    classDef critical fill:#fde2e1,stroke:#b42318,stroke-width:2px")
        if !critical.isEmpty { lines.append("    class \(Set(critical).sorted().joined(separator: ",")) critical") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: dot

    private func dotText(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return "\"" + out + "\""
    }

    func dot() -> String {
        var lines = ["digraph \(dotText(playbook.id.value)) {", "    rankdir=TB;",
                     "    node [shape=box, style=rounded, fontname=\"sans-serif\"];"]
        let title = Sanitizer.neutralise(playbook.title.resolved(language), keepNewlines: false)
        lines.append("    \(Self.startID) [shape=circle, label=\(dotText("▶ " + title))];")
        lines.append("    \(Self.finishID) [shape=doublecircle, label=\(dotText("end"))];")
        var seen: Set<String> = []
        for step in playbook.steps where seen.insert(step.id.value).inserted {
            var attributes = ["label=\(dotText(label(step)))"]
            switch step.kind {
            case .choice, .confirm: attributes.append("shape=diamond")
            case .end: attributes.append("shape=oval")
            default: break
            }
            if step.critical { attributes += ["color=\"#b42318\"", "penwidth=2"] }
            lines.append("    \(nodeID(step.id.value)) [\(attributes.joined(separator: ", "))];")
        }
        lines.append("    \(Self.startID) -> \(nodeID(playbook.startStepID));")
        seen = []
        for step in playbook.steps where seen.insert(step.id.value).inserted {
            for edge in graph.edges(of: step) {
                var attributes: [String] = []
                if let label = edge.label { attributes.append("label=\(dotText(label))") }
                if edge.label == "skipped" { attributes.append("style=dashed") }
                let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
                lines.append("    \(nodeID(step.id.value)) -> \(targetID(edge.target))\(suffix);")
            }
            if case .end = step.kind { lines.append("    \(nodeID(step.id.value)) -> \(Self.finishID);") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
