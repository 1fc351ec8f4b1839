#pragma once
// Derived design variables are formulas the user writes in the config (expression = "coat_weight_mg_cm2 * 1.767").
// muparser compiles each one once to bytecode and evaluates it millions of times during a search; every mistake in
// a formula is reported at its file:line:col, with what was expected, before any search starts.
//
// Accepted: numbers (1.5, 2e-3), the known quantity names, the constants _pi and _e, the operators + - * / ^,
// comparisons (< <= > >= == !=), && ||, condition ? a : b, parentheses, and muparser's functions: sin cos tan asin
// acos atan atan2 sinh cosh tanh asinh acosh atanh log2 log10 log ln exp sqrt sign rint abs min max sum avg.
// Refused: names that are not known quantities (muparser would otherwise define them on the fly), assignments
// ("a = 1"), several comma-separated results, text in quotes, and an empty formula.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "elec/data/diagnostics.hpp"

namespace elec::opt {

class Expression {
 public:
  // Compiles `text` over the quantities `names` (identifiers: letters, digits, '_' and '@', not starting with a digit;
  // e.g. "capacity_mAh_g@30"). `where` is the position of the first character of `text` in its file; a syntax error
  // or an unknown name is added to diag at where.column + (offset of the error in text) (where.column 0, "whole
  // line", stays 0), naming the offending token and what was expected (for an unknown name: the closest known names,
  // or a list of up to 10 known names). Every unknown name is reported; of syntax errors, the first. Returns nullopt
  // on any problem.
  static std::optional<Expression> compile(const std::string& text, const std::vector<std::string>& names,
                                           const data::SourcePosition& where, data::Diagnostics& diag);

  // Value for the given values of `names` (values[i] is names[i]; throws std::invalid_argument on a size mismatch).
  // NaN in a used name gives NaN, whatever the formula (also in min/max, comparisons and an untaken ?: branch): a
  // missing measurement makes a missing derived value. No allocation. Not reentrant on one object: the values are
  // copied into the object's bound variables, so threads need one Expression each (different objects are
  // independent and may be evaluated concurrently).
  double evaluate(const std::vector<double>& values) const;

  // Indices into `names` of the names the expression uses, ascending.
  const std::vector<std::size_t>& uses() const;
  const std::string& text() const;

  // A moved-from Expression may only be assigned to or destroyed.
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

 private:
  struct Impl;  // the muparser parser and its bound variables, on the heap: their addresses survive a move
  explicit Expression(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace elec::opt
