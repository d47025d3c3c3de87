// The rule language's grammar, as PEGTL 3.2 rules and nothing else: no actions, no messages.
//
// Included only by parser.cpp (which adds actions and the error-message table) and by the
// grammar tests. `file` is the whole language; the parser runs `statement_unit` once per
// statement so it can resynchronise after an error. Tokens are separated by `ws` (blanks,
// line breaks and `#` comments); a statement may span lines and ends where the next `rule` or
// `def` begins. Every `must<>` here has an entry in error_messages.h.
#pragma once

#include <tao/pegtl.hpp>

namespace fmn::dsl::grammar {

using namespace tao::pegtl;  // NOLINT: a grammar reads best in PEGTL's own vocabulary

// Layout.
struct comment : seq<one<'#'>, until<eolf>> {};
struct ws : star<sor<ascii::space, comment>> {};

// Words.
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <typename Word>
struct key : seq<Word, not_at<ident_other>> {};
struct kw_def : key<TAO_PEGTL_STRING("def")> {};
struct kw_rule : key<TAO_PEGTL_STRING("rule")> {};
struct kw_and : key<TAO_PEGTL_STRING("and")> {};
struct kw_or : key<TAO_PEGTL_STRING("or")> {};
struct kw_not : key<TAO_PEGTL_STRING("not")> {};
struct kw_in : key<TAO_PEGTL_STRING("in")> {};
struct kw_true : key<TAO_PEGTL_STRING("true")> {};
struct kw_false : key<TAO_PEGTL_STRING("false")> {};
struct kw_exists : key<TAO_PEGTL_STRING("exists")> {};
struct kw_startswith : key<TAO_PEGTL_STRING("startswith")> {};
struct kw_endswith : key<TAO_PEGTL_STRING("endswith")> {};
struct kw_contains : key<TAO_PEGTL_STRING("contains")> {};
struct kw_matches : key<TAO_PEGTL_STRING("matches")> {};
struct kw_any : key<TAO_PEGTL_STRING("any")> {};
struct kw_all : key<TAO_PEGTL_STRING("all")> {};
struct keyword : sor<kw_def, kw_rule, kw_and, kw_or, kw_not, kw_in, kw_true, kw_false, kw_exists,
                     kw_startswith, kw_endswith, kw_contains, kw_matches, kw_any, kw_all> {};
struct name : seq<not_at<keyword>, identifier> {};

// Literals. Strings use JSON's escapes and stay on one line.
struct escape_code
    : sor<one<'"', '\\', '/', 'b', 'f', 'n', 'r', 't'>, seq<one<'u'>, rep<4, xdigit>>> {};
struct escape : seq<one<'\\'>, must<escape_code>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_lit : seq<one<'"'>, until<one<'"'>, must<string_char>>> {};
struct number : seq<opt<one<'-'>>, plus<digit>, opt<one<'.'>, plus<digit>>,
                    opt<one<'e', 'E'>, opt<one<'+', '-'>>, plus<digit>>, not_at<ident_other>> {};
struct list_item : sor<string_lit, number> {};
struct list_open : one<'['> {};
struct list_close : one<']'> {};
struct list_lit
    : seq<list_open, ws, opt<list_item, ws, star<one<','>, ws, list_item, ws>, opt<one<','>, ws>>,
          must<list_close>> {};

// Values.
struct list_name : identifier {};
// `$lists.NAME`: one of the user's named lists; the parameter's text is `lists.NAME`.
struct list_param : seq<TAO_PEGTL_STRING("lists."), must<list_name>> {};
struct param_name : sor<list_param, identifier> {};
struct param : seq<one<'$'>, must<param_name>> {};
struct path_root : name {};
struct path_key : identifier {};  // keywords are fine after a dot: msg.rule
struct dot_segment : seq<one<'.'>, must<path_key>> {};
struct index_key : string_lit {};
struct index_number : plus<digit> {};
struct index_every : one<'*'> {};  // `[*]`: each element; the checker wants `any`/`all` with it
struct index_value : sor<index_key, index_number, index_every> {};
struct index_close : one<']'> {};
struct index_segment : seq<one<'['>, ws, must<index_value>, ws, must<index_close>> {};
struct path : seq<path_root, star<sor<dot_segment, index_segment>>> {};
struct bool_lit : sor<kw_true, kw_false> {};
struct operand : sor<string_lit, number, list_lit, bool_lit, param, path> {};

// Operators. Spellings from other languages are caught to say what to write instead.
struct op_eq : string<'=', '='> {};
struct op_ne : string<'!', '='> {};
struct op_le : string<'<', '='> {};
struct op_lt : one<'<'> {};
struct op_ge : string<'>', '='> {};
struct op_gt : one<'>'> {};
struct op_glob : one<'~'> {};
// `==*`, `in*`...: the same test ignoring case. No value starts with `*`, so the suffix is
// unambiguous; it must touch the operator.
struct op_ignoring_case
    : seq<sor<op_eq, op_ne, op_glob, kw_in, kw_startswith, kw_endswith, kw_contains>, one<'*'>> {};
struct cmp_op : sor<op_ignoring_case, op_eq, op_ne, op_le, op_lt, op_ge, op_gt, op_glob, kw_in,
                    kw_startswith, kw_endswith, kw_contains, kw_matches> {};
struct stray_star : one<'*'> {};
struct single_equals : seq<one<'='>, not_at<one<'='>>> {};
struct c_and : string<'&', '&'> {};
struct c_or : string<'|', '|'> {};
struct c_not : seq<one<'!'>, not_at<one<'='>>> {};
struct rhs : operand {};
struct comparison
    : seq<operand,
          opt<ws, sor<seq<cmp_op, ws,
                          sor<seq<at<stray_star>, tao::pegtl::raise<stray_star>>, must<rhs>>>,
                      seq<at<single_equals>, tao::pegtl::raise<single_equals>>>>> {};

// `any <left> <op> <right>`: a comparison over the elements of its left side.
struct quantifier : sor<kw_any, kw_all> {};
struct quantified_left : operand {};
struct quantified_op : seq<cmp_op> {};
struct quantified : seq<quantifier, ws, must<quantified_left>, ws, must<quantified_op>, ws,
                        sor<seq<at<stray_star>, tao::pegtl::raise<stray_star>>, must<rhs>>> {};

// Tests, loosest-binding last. `test` is what must follow `and`, `or`, `not` and `=`.
struct expression;
struct close_paren : one<')'> {};
struct nested : seq<one<'('>, ws, must<expression>, ws, must<close_paren>> {};
struct exists_path : path {};
struct exists_test : seq<kw_exists, ws, must<exists_path>> {};
struct test;
struct negation : seq<kw_not, ws, must<test>> {};
struct primary : sor<nested, exists_test, negation, quantified, comparison,
                     seq<at<c_not>, tao::pegtl::raise<c_not>>> {};
struct test : primary {};
struct and_tail : seq<kw_and, ws, must<test>> {};
struct conjunction : seq<test, star<ws, and_tail>> {};
struct or_tail : seq<kw_or, ws, must<conjunction>> {};
struct expression : seq<conjunction, star<ws, or_tail>> {};

// Statements.
struct def_name : name {};
struct rule_name : string_lit {};
struct equals : one<'='> {};
struct body : expression {};
struct def_stmt : seq<kw_def, ws, must<def_name>, ws, must<equals>, ws, must<body>> {};
struct rule_stmt : seq<kw_rule, ws, must<rule_name>, ws, must<equals>, ws, must<body>> {};
struct statement : sor<def_stmt, rule_stmt> {};
struct statement_end
    : seq<ws, sor<eof, at<kw_def>, at<kw_rule>, seq<at<c_and>, tao::pegtl::raise<c_and>>,
                  seq<at<c_or>, tao::pegtl::raise<c_or>>>> {};
struct statement_unit : seq<must<statement>, must<statement_end>> {};
struct file : seq<ws, star<not_at<eof>, statement_unit>, eof> {};

}  // namespace fmn::dsl::grammar
