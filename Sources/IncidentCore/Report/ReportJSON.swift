/// `report.json`, schema `incident-wizard/report/v1` (docs/report.schema.json).
public enum ReportJSON {
    public static let schema = "incident-wizard/report/v1"

    public static func render(_ report: Report) -> String {
        let nullable = { (value: String?) in value.map(JSONValue.string) ?? .null }
        let steps = report.steps.map { step in
            JSONValue.object([
                "id": .string(step.id), "type": .string(step.type), "title": .string(step.title),
                "entered": nullable(step.entered), "answered": nullable(step.answered), "skipped": .bool(step.skipped),
                "answer": step.answer.map(AnswerCoding.json) ?? .null,
            ])
        }
        var network: [JSONValue] = []
        var scans: [JSONValue] = []
        var notifications: [JSONValue] = []
        for step in report.steps {
            switch step.answer {
            case .network(let outcome)?:
                network.append(.object([
                    "step": .string(step.id), "disconnected": .bool(outcome.disconnected), "method": .string(outcome.method.rawValue),
                    "checked_at": .string(outcome.checkedAt),
                    "interfaces_before": .array(outcome.interfacesBefore.map(JSONValue.string)),
                    "interfaces_after": .array(outcome.interfacesAfter.map(JSONValue.string)),
                ]))
            case .scan? where step.repeatsItsScan(in: report):
                break
            case .scan(let outcome)?:
                let command = report.commands.last { $0.step == step.id }
                scans.append(.object([
                    "step": .string(step.id), "verdict": .string(outcome.verdict.rawValue),
                    "exit_code": outcome.exitCode.map { .int(Int($0)) } ?? .null, "duration_ms": .int(outcome.durationMs),
                    "output_file": nullable(outcome.outputFile), "output_sha256": nullable(outcome.outputSHA256),
                    "detections": .array((command?.detections ?? []).map(JSONValue.string)),
                ]))
            case .notify(let outcome)?:
                notifications.append(.object([
                    "step": .string(step.id), "reached": nullable(outcome.reached),
                    "name": nullable(outcome.reached.flatMap { report.contacts[$0]?.name.resolved(report.language) }),
                    "spoke_with": .string(outcome.spokeWith), "at": .string(outcome.at),
                    "attempts": .array(outcome.attempts.map(AnswerCoding.json)),
                ]))
            default:
                break
            }
        }
        let evidence = report.evidence.map { line in
            JSONValue.object(["step": .string(line.step), "kind": .string(line.kind), "name": .string(line.file.name),
                              "sha256": .string(line.file.sha256), "size": .int(line.file.size), "source": .string(line.file.source),
                              "email": line.email?.json, "emocheck": line.emocheck?.json])
        }
        let value = JSONValue.object([
            "schema": .string(schema),
            "incident_id": .string(report.incidentID),
            "drill": .bool(report.drill),
            "status": .string(report.finished ? "finished" : report.abandoned ? "abandoned" : "in-progress"),
            "outcome": nullable(report.outcome),
            "playbook": .object(["id": .string(report.playbookID), "revision": nullable(report.playbookRevision),
                                 "sha256": .string(report.playbookSHA256)]),
            "language": .string(report.language),
            // `host.user` names the person: the full name with the login (`full_name` apart too).
            "host": { () -> JSONValue in
                var host = report.host
                host.user = report.host.person
                return host.json
            }(),
            "tool_version": .string(report.toolVersion),
            "reports_fallback": report.reportsFallback?.json,
            "started": .string(report.started),
            "finished": nullable(report.finishedAt),
            "steps": .array(steps),
            "network": .array(network),
            "scans": .array(scans),
            "evidence": .array(evidence),
            "notifications": .array(notifications),
            "deadlines": .array(report.deadlines.map { line in
                .object(["id": .string(line.id),
                         "title": .string(PlaceholderContext(language: report.language, sessionStarted: report.started)
                            .render(line.deadline.title, playbook: report.playbook, answers: report.answers)),
                         "due": .string(line.due), "applies": .bool(line.applies)])
            }),
            "journal": .object(["entries": .int(report.journalEntries), "last_hash": .string(report.journalLastHash),
                                "check_code": CheckCode.of(hash: report.journalLastHash).map(JSONValue.string) ?? .null]),
        ])
        return value.pretty()
    }
}
