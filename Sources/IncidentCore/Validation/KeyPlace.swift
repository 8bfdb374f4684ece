/// Where a mis-indented key belongs, for the Japanese of `misindentedBelongs` (its English is
/// the loader's own sentence).
public enum KeyPlace: Sendable, Hashable {
    case step, contact, stepNotWhen
    case playbookTopLevel(notIn: String)
    case contactsTopLevel(contact: String)
    case listEntry(list: String)
    case nextOn, when
    case stepItself(step: String)

    var japanese: String {
        switch self {
        case .step: return "ステップ（steps の各項目）の中に書くキーで、いちばん外側には書けません"
        case .contact: return "連絡先の項目なので、contacts の下の各連絡先の中に書きます"
        case .stepNotWhen: return "ステップのキーで、「when」の下には書けません"
        case .playbookTopLevel(let name): return "いちばん外側に書くキーで、\(DiagnosticText.place(name))の中には書けません"
        case .contactsTopLevel(let id): return "いちばん外側に書くキーで、連絡先「\(id)」の項目ではありません"
        case .listEntry(let list): return "「\(list)」の各項目（「- 」の下）に書くキーです"
        case .nextOn: return "「next_on」の下に書く検査結果です"
        case .when: return "「when」の下に書く条件のキーです"
        case .stepItself(let name): return "\(DiagnosticText.place(name))そのもののキーで、各項目の中には書けません"
        }
    }
}
