#include "elec/opt/expression.hpp"

#include <muParser.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace elec::opt {

struct Expression::Impl {
  mu::Parser parser;
  std::vector<double> bound;  // muparser reads the variables here; written by evaluate() (hence not reentrant)
  std::vector<std::size_t> uses;
  std::string text;
};

namespace {

const char* const kNameChars = "0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@";
const char* const kFormula = "a formula of numbers, known quantities, operators and functions";

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@'; }
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// Offset of the first whole identifier `name` in text (1e3 is one run of name characters: never a name), or npos.
std::size_t find_identifier(const std::string& text, const std::string& name) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = i;
    while (j < text.size() && name_char(text[j])) ++j;
    if (j == i)
      ++j;
    else if (text.compare(i, j - i, name) == 0 && j - i == name.size())
      return i;
    i = j;
  }
  return std::string::npos;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = std::exchange(row[0], i);
    for (std::size_t j = 1; j <= b.size(); ++j)
      diagonal = std::exchange(row[j], std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])}));
  }
  return row[b.size()];
}

// "(closest: "a", "b")" when some candidates are near `wrong`, else a list of up to 10 of them.
std::string closest(const std::string& wrong, const std::vector<std::string>& candidates) {
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(wrong, c);
    if (d <= std::max<std::size_t>(1, std::max(wrong.size(), c.size()) / 3) || c.rfind(wrong, 0) == 0)
      near.emplace_back(d, c);
  }
  std::sort(near.begin(), near.end());
  std::string out;
  if (!near.empty()) {
    for (std::size_t i = 0; i < near.size() && i < 3; ++i) out += (i ? ", " : "") + quoted(near[i].second);
    return " (closest: " + out + ")";
  }
  for (std::size_t i = 0; i < candidates.size() && i < 10; ++i) out += (i ? ", " : "") + candidates[i];
  if (candidates.size() > 10) out += ", ... (" + std::to_string(candidates.size() - 10) + " more)";
  return ": " + out;
}

std::string unknown_name(const std::string& name, const std::vector<std::string>& names, const mu::Parser& parser,
                         bool called) {
  std::vector<std::string> functions;
  for (const auto& f : parser.GetFunDef()) functions.push_back(f.first);
  if (called) return "unknown function " + quoted(name) + "; expected a muparser function" + closest(name, functions);
  if (parser.GetFunDef().count(name))
    return "function " + quoted(name) + " without arguments; expected " + name + "(...)";
  if (names.empty())
    return "unknown name " + quoted(name) + "; expected numbers and functions only (no quantities here)";
  return "unknown name " + quoted(name) + "; expected a known quantity" + closest(name, names);
}

// muparser's error as "what was found; what was expected", without muparser's own 0-based "at position N".
std::string syntax_message(const mu::Parser::exception_type& e, const mu::Parser& parser) {
  const std::string token = e.GetToken();
  const auto function = parser.GetFunDef().find(token);
  const int argc = function == parser.GetFunDef().end() ? -1 : function->second.GetArgc();
  const std::string arguments =
      argc < 0 ? "at least 1 argument" : std::to_string(argc) + (argc == 1 ? " argument" : " arguments");
  switch (e.GetCode()) {
    case mu::ecUNEXPECTED_EOF:
      return "the formula ends too early; expected a number, a name or \"(\" here";
    case mu::ecUNEXPECTED_OPERATOR:
      return "unexpected operator " + quoted(token) + "; expected a number, a name or \"(\" before it";
    case mu::ecUNASSIGNABLE_TOKEN:
      return "unexpected character " + quoted(token.substr(0, 1)) + "; expected " + kFormula;
    case mu::ecUNEXPECTED_VAR:
    case mu::ecUNEXPECTED_VAL:
    case mu::ecUNEXPECTED_FUN:
      return "unexpected " + quoted(token) + "; expected an operator before it";
    case mu::ecUNEXPECTED_PARENS:
      return "unexpected " + quoted(token) +
             (token == ")" ? "; expected a \"(\" before it" : "; expected an operator before it");
    case mu::ecMISSING_PARENS:
      return "missing \")\"; expected every \"(\" to be closed";
    case mu::ecTOO_MANY_PARAMS:
      return "too many arguments for " + quoted(token) + "; expected " + arguments;
    case mu::ecTOO_FEW_PARAMS:
      return "too few arguments for " + quoted(token) + "; expected " + arguments;
    case mu::ecUNEXPECTED_ARG_SEP:
      return "unexpected \",\"; expected a single formula (commas separate arguments)";
    case mu::ecMISSING_ELSE_CLAUSE:
    case mu::ecMISPLACED_COLON:
    case mu::ecUNEXPECTED_CONDITIONAL:
      return "incomplete condition; expected condition ? value : other_value";
    case mu::ecSTR_RESULT:
    case mu::ecUNEXPECTED_STR:
    case mu::ecUNTERMINATED_STRING:
    case mu::ecSTRING_EXPECTED:
      return "text in quotes; expected " + std::string(kFormula);
    default:
      return e.GetMsg() + "; expected " + kFormula;
  }
}

}  // namespace

std::optional<Expression> Expression::compile(const std::string& text, const std::vector<std::string>& names,
                                              const data::SourcePosition& where, data::Diagnostics& diag) {
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  auto problem = [&](std::size_t offset, const std::string& message) {
    data::SourcePosition at = where;
    if (at.column > 0) at.column += static_cast<int>(std::min(offset, end == std::string::npos ? 0 : end + 1));
    diag.add(at, message);
  };
  if (end == std::string::npos) {
    problem(0, "empty expression; expected " + std::string(kFormula));
    return std::nullopt;
  }
  auto impl = std::make_unique<Impl>();
  impl->text = text;
  impl->bound.assign(names.size(), std::numeric_limits<double>::quiet_NaN());
  mu::Parser& parser = impl->parser;
  // Assignment writes into the bound variables; muparser allows it, a derived variable must not.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '=' && (i == 0 || !std::strchr("=<>!", text[i - 1])) &&
        (i + 1 == text.size() || text[i + 1] != '=')) {
      problem(i, "assignment \"=\" in an expression; expected \"==\" to compare, or a formula without \"=\"");
      return std::nullopt;
    }
  try {
    parser.DefineNameChars(kNameChars);
    parser.DefineConst("_pi", std::acos(-1.0));  // muparser 2.3.3's own _pi has 12 digits only
    bool reserved = false;  // a quantity named e.g. "_pi": muparser's constant would win, so refuse it where used
    for (std::size_t i = 0; i < names.size(); ++i) try {
        parser.DefineVar(names[i], &impl->bound[i]);
      } catch (const mu::Parser::exception_type& e) {
        const std::size_t at = find_identifier(text, names[i]);
        if (at != std::string::npos) problem(at, quoted(names[i]) + ": " + e.GetMsg() + "; expected another name");
        reserved |= at != std::string::npos;
      }
    parser.SetExpr(text);
    // GetUsedVar parses without defining unknown names, so every unknown name is reported at once.
    mu::varmap_type used;
    try {
      used = parser.GetUsedVar();
    } catch (const mu::Parser::exception_type&) {
      parser.SetExpr(text);
      parser.Eval();  // throws the first problem in text order (an unknown name before a later syntax error)
      throw;          // Eval found nothing: GetUsedVar's own error stands
    }
    std::vector<std::pair<std::size_t, std::string>> unknown;
    for (const auto& [name, address] : used) {
      const std::ptrdiff_t index = address - impl->bound.data();
      if (index >= 0 && index < static_cast<std::ptrdiff_t>(names.size()) && names[index] == name)
        impl->uses.push_back(static_cast<std::size_t>(index));
      else
        unknown.emplace_back(find_identifier(text, name), name);
    }
    std::sort(unknown.begin(), unknown.end());
    for (const auto& [offset, name] : unknown) problem(offset, unknown_name(name, names, parser, false));
    if (reserved || !unknown.empty()) return std::nullopt;
    std::sort(impl->uses.begin(), impl->uses.end());
    parser.Eval();  // compiles to bytecode once; later calls only run it
    if (parser.GetNumResults() != 1) {
      std::size_t comma = 0;  // the first "," outside parentheses
      for (int depth = 0; comma < text.size() && (depth || text[comma] != ','); ++comma)
        depth += text[comma] == '(' ? 1 : text[comma] == ')' ? -1 : 0;
      problem(comma, "several results separated by \",\"; expected a single formula");
      return std::nullopt;
    }
  } catch (const mu::Parser::exception_type& e) {
    const std::string token = e.GetToken();
    std::size_t offset = e.GetPos() < 0 ? 0 : static_cast<std::size_t>(e.GetPos());
    if (e.GetCode() == mu::ecMISSING_ELSE_CLAUSE) offset = text.find('?');
    if (e.GetCode() == mu::ecUNASSIGNABLE_TOKEN && find_identifier(token, token) == 0) {  // an unknown name
      const std::size_t after = text.find_first_not_of(" \t", offset + token.size());
      problem(offset, unknown_name(token, names, parser, after != std::string::npos && text[after] == '('));
    } else {
      problem(offset, syntax_message(e, parser));
    }
    return std::nullopt;
  }
  return Expression(std::move(impl));
}

double Expression::evaluate(const std::vector<double>& values) const {
  Impl& m = *impl_;
  if (values.size() != m.bound.size())
    throw std::invalid_argument("expression \"" + m.text + "\" evaluated with " + std::to_string(values.size()) +
                                " values for " + std::to_string(m.bound.size()) + " names");
  bool missing = false;
  for (const std::size_t i : m.uses) {
    missing |= std::isnan(values[i]);
    m.bound[i] = values[i];
  }
  return missing ? std::numeric_limits<double>::quiet_NaN() : m.parser.Eval();
}

const std::vector<std::size_t>& Expression::uses() const { return impl_->uses; }
const std::string& Expression::text() const { return impl_->text; }

Expression::Expression(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

}  // namespace elec::opt
