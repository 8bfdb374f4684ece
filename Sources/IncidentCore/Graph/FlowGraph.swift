/// The step flow of a playbook as edges, shared by the validator (reachability), the engine
/// (where to go next) and `graph` (the flowchart), so the three can never disagree.
public struct FlowGraph: Sendable {
    /// One way out of a step.
    public struct Edge: Sendable, Equatable {
        /// What leads this way: an option value, `yes`/`no`/`unsure`, a verdict, `skipped`, or nil for
        /// the plain continuation.
        public var label: String?
        public var target: FlowTarget
    }

    public let playbook: Playbook

    public init(_ playbook: Playbook) {
        self.playbook = playbook
    }

    /// Where the step goes when nothing more specific applies: its own `next`, else the following
    /// step in `steps`, else the end. An `end` step goes nowhere.
    public func defaultTarget(of step: Step) -> FlowTarget {
        if let next = step.next { return next.value }
        guard let index = playbook.stepIndex[step.id.value], index + 1 < playbook.steps.count else { return .end }
        return .step(playbook.steps[index + 1].id.value)
    }

    /// Where a skipped step (`when` false) continues: the same as its default.
    public func skipTarget(of step: Step) -> FlowTarget { defaultTarget(of: step) }

    /// Every way out of a step, labelled.
    public func edges(of step: Step) -> [Edge] {
        var edges: [Edge] = []
        let fallback = defaultTarget(of: step)
        switch step.kind {
        case .end:
            break
        case .choice(let options):
            for option in options {
                edges.append(Edge(label: option.value.value, target: option.next?.value ?? fallback))
            }
        case .confirm(let spec):
            edges.append(Edge(label: "yes", target: spec.yesNext?.value ?? fallback))
            edges.append(Edge(label: "no", target: spec.noNext?.value ?? fallback))
            if spec.unsure { edges.append(Edge(label: "unsure", target: spec.unsureNext?.value ?? fallback)) }
        case .scan(let spec) where spec.wait:
            for verdict in ScanVerdict.routable {
                edges.append(Edge(label: verdict.rawValue, target: spec.nextOn[verdict]?.value ?? fallback))
            }
        case .await(let spec):
            for verdict in ScanVerdict.routable {
                edges.append(Edge(label: verdict.rawValue, target: spec.nextOn[verdict]?.value ?? fallback))
            }
        default:
            edges.append(Edge(label: nil, target: fallback))
        }
        if step.when != nil {
            edges.append(Edge(label: "skipped", target: skipTarget(of: step)))
        }
        return edges
    }

    /// For each step (by its index in `steps`), how many steps the longest path from it shows,
    /// itself included, up to an end: "step N of M"'s M. Loops count once: the edges that close a
    /// loop in a depth-first walk from the start (then from each step not reached, in file order)
    /// are left out, and `skipped` edges are not followed (conditions are not evaluated ahead).
    /// Iterative and linear in the steps and edges, so a playbook of any length has its figures
    /// at once (a recursion per step overflowed the stack at 20,000 steps).
    public func longestPaths() -> [Int] {
        let index = playbook.stepIndex
        let successors: [[Int]] = playbook.steps.map { step in
            edges(of: step).compactMap { edge in
                guard edge.label != "skipped", case .step(let next) = edge.target else { return nil }
                return index[next]
            }
        }
        enum Mark { case new, open, done }
        var marks = [Mark](repeating: .new, count: playbook.steps.count)
        // A background scan is passed, never shown: it adds no step to count.
        let weight = playbook.steps.map { $0.isBackgroundScan ? 0 : 1 }
        var longest = weight
        // The walk's path: a step and how many of its successors have been looked at.
        var path: [(step: Int, edge: Int)] = []
        var roots = [index[playbook.startStepID]].compactMap { $0 } + Array(playbook.steps.indices)
        roots.reverse()
        while let root = roots.popLast() {
            guard marks[root] == .new else { continue }
            marks[root] = .open
            path.append((root, 0))
            while let (step, edge) = path.last {
                if edge < successors[step].count {
                    path[path.count - 1].edge += 1
                    let next = successors[step][edge]
                    switch marks[next] {
                    case .new:
                        marks[next] = .open
                        path.append((next, 0))
                    case .done: longest[step] = max(longest[step], longest[next] + weight[step])
                    case .open: break  // closes a loop: counted once, on the way in
                    }
                } else {
                    marks[step] = .done
                    path.removeLast()
                    if let parent = path.last?.step { longest[parent] = max(longest[parent], longest[step] + weight[parent]) }
                }
            }
        }
        return longest
    }

    /// Ids of the steps reachable from the start (or from `origin`'s ways out).
    public func reachableSteps(after origin: String? = nil) -> Set<String> {
        var seen: Set<String> = []
        var queue = origin.flatMap(playbook.step).map { edges(of: $0).compactMap { edge -> String? in
            if case .step(let next) = edge.target { return next } else { return nil }
        } } ?? [playbook.startStepID]
        while let id = queue.popLast() {
            guard !seen.contains(id), let step = playbook.step(id) else { continue }
            seen.insert(id)
            for edge in edges(of: step) {
                if case .step(let next) = edge.target { queue.append(next) }
            }
        }
        return seen
    }

    /// Ids of the steps from which the playbook can finish (an `end` step, `next: end`, or
    /// running past the last step). An edge to an unknown step counts as finishing, so that one
    /// dangling reference is reported once, not again as a loop.
    public func stepsThatCanFinish() -> Set<String> {
        let index = playbook.stepIndex
        var predecessors: [String: [String]] = [:]
        var finishing: [String] = []
        for step in playbook.steps where index[step.id.value] != nil {
            if case .end = step.kind { finishing.append(step.id.value) }
            for edge in edges(of: step) {
                switch edge.target {
                case .end: finishing.append(step.id.value)
                case .step(let next) where index[next] == nil: finishing.append(step.id.value)
                case .step(let next): predecessors[next, default: []].append(step.id.value)
                }
            }
        }
        var canFinish: Set<String> = []
        var queue = finishing
        while let id = queue.popLast() {
            guard canFinish.insert(id).inserted else { continue }
            queue.append(contentsOf: predecessors[id] ?? [])
        }
        return canFinish
    }
}
