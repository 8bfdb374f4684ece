/// Answers as JSON, in the journal and in report.json, and back (given the step, whose type says
/// which answer it is).
public enum AnswerCoding {
    public static func json(_ answer: Answer) -> JSONValue {
        switch answer {
        case .none: return .null
        case .confirm(let value): return .string(value.rawValue)
        case .choice(let value): return .string(value)
        case .checklist(let values): return .array(values.map(JSONValue.string))
        case .input(let values): return .object(values.keys.sorted().map { JSONValue.Member($0, .string(values[$0]!)) })
        case .network(let outcome):
            return .object([
                "disconnected": .bool(outcome.disconnected), "method": .string(outcome.method.rawValue),
                "checked_at": .string(outcome.checkedAt),
                "interfaces_before": .array(outcome.interfacesBefore.map(JSONValue.string)),
                "interfaces_after": .array(outcome.interfacesAfter.map(JSONValue.string)),
            ])
        case .evidence(let outcome):
            return .object(["photographed": .string(outcome.photographed), "files": .array(outcome.files.map(json))])
        case .scan(let outcome):
            return .object([
                "verdict": .string(outcome.verdict.rawValue), "exit_code": outcome.exitCode.map { .int(Int($0)) } ?? .null,
                "duration_ms": .int(outcome.durationMs), "output_file": outcome.outputFile.map(JSONValue.string) ?? .null,
                "output_sha256": outcome.outputSHA256.map(JSONValue.string) ?? .null,
            ])
        case .collect(let outcome):
            return .object(["outputs": .array(outcome.outputs.map { output in
                .object([
                    "name": .string(output.name), "exit_code": output.exitCode.map { .int(Int($0)) } ?? .null,
                    "output_file": output.outputFile.map(JSONValue.string) ?? .null,
                    "output_sha256": output.outputSHA256.map(JSONValue.string) ?? .null,
                ])
            })])
        case .notify(let outcome):
            return .object(["reached": outcome.reached.map(JSONValue.string) ?? .null,
                            "spoke_with": .string(outcome.spokeWith), "at": .string(outcome.at),
                            "attempts": .array(outcome.attempts.map(json))])
        }
    }

    public static func json(_ attempt: NotifyAttempt) -> JSONValue {
        .object(["contact": .string(attempt.contact), "result": .string(attempt.result.rawValue), "at": .string(attempt.at)])
    }

    static func attempt(_ json: JSONValue) -> NotifyAttempt? {
        guard let contact = json["contact"]?.string, let result = json["result"]?.string.flatMap(NotifyAttempt.Result.init(rawValue:)),
              let at = json["at"]?.string else { return nil }
        return NotifyAttempt(contact: contact, result: result, at: at)
    }

    public static func json(_ file: EvidenceFile) -> JSONValue {
        .object(["name": .string(file.name), "sha256": .string(file.sha256), "size": .int(file.size),
                 "source": .string(file.source)])
    }

    static func evidenceFile(_ json: JSONValue) -> EvidenceFile? {
        guard let name = json["name"]?.string, let sha = json["sha256"]?.string, let size = json["size"]?.int else { return nil }
        return EvidenceFile(name: name, sha256: sha, size: size, source: json["source"]?.string ?? "")
    }

    /// The answer a step recorded, or nil when the JSON does not fit the step's type.
    public static func answer(_ json: JSONValue, for step: Step) -> Answer? {
        let strings = { (value: JSONValue?) in (value?.array ?? []).compactMap(\.string) }
        let code = { (value: JSONValue?) in value?.int.map { Int32(truncatingIfNeeded: $0) } }
        switch step.kind {
        case .info, .end:
            return json.isNull ? Answer.none : nil
        case .confirm:
            return json.string.flatMap(ConfirmAnswer.init(rawValue:)).map(Answer.confirm)
        case .choice:
            return json.string.map(Answer.choice)
        case .checklist:
            return json.array.map { _ in .checklist(strings(json)) }
        case .input:
            guard case .object(let members) = json else { return nil }
            var values: [String: String] = [:]
            for member in members { values[member.key] = member.value.string ?? "" }
            return .input(values)
        case .network:
            guard let disconnected = json["disconnected"]?.bool,
                  let method = json["method"]?.string.flatMap(NetworkOutcome.Method.init(rawValue:)) else { return nil }
            return .network(NetworkOutcome(disconnected: disconnected, method: method,
                                           checkedAt: json["checked_at"]?.string ?? "",
                                           interfacesBefore: strings(json["interfaces_before"]),
                                           interfacesAfter: strings(json["interfaces_after"])))
        case .evidence:
            guard let photographed = json["photographed"]?.string else { return nil }
            return .evidence(EvidenceOutcome(photographed: photographed == "yes",
                                             files: (json["files"]?.array ?? []).compactMap(evidenceFile)))
        case .scan(let spec) where !spec.wait && json.isNull:
            // A background scan, as the flow left it (its verdict comes in a later line).
            return Answer.none
        case .scan, .await:
            guard let verdict = json["verdict"]?.string.flatMap(ScanVerdict.init(rawValue:)) else { return nil }
            return .scan(ScanOutcome(verdict: verdict, exitCode: code(json["exit_code"]),
                                     durationMs: json["duration_ms"]?.int ?? 0, outputFile: json["output_file"]?.string,
                                     outputSHA256: json["output_sha256"]?.string))
        case .collect:
            guard let outputs = json["outputs"]?.array else { return nil }
            return .collect(CollectOutcome(outputs: outputs.compactMap { output in
                guard let name = output["name"]?.string else { return nil }
                return CollectOutput(name: name, exitCode: code(output["exit_code"]),
                                     outputFile: output["output_file"]?.string, outputSHA256: output["output_sha256"]?.string)
            }))
        case .notify:
            guard let at = json["at"]?.string else { return nil }
            // A journal written before attempts were recorded has none.
            return .notify(NotifyOutcome(reached: json["reached"]?.string, spokeWith: json["spoke_with"]?.string ?? "", at: at,
                                         attempts: (json["attempts"]?.array ?? []).compactMap(attempt)))
        }
    }
}
