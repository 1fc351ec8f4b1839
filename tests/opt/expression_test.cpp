#include "elec/opt/expression.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

namespace elec::opt {
namespace {

const data::SourcePosition kAt{"design.toml", 7, 15};  // the formula's first character is at 7:15
const std::vector<std::string> kNames{"coat_weight_mg_cm2", "drying_first_C", "drying_second_C", "capacity_mAh_g@30",
                                      "capacity_mAh_g@3"};
const double kNaN = std::numeric_limits<double>::quiet_NaN();

Expression compiled(const std::string& text, const std::vector<std::string>& names = kNames) {
  data::Diagnostics diag;
  std::optional<Expression> e = Expression::compile(text, names, kAt, diag);
  EXPECT_TRUE(diag.empty()) << diag.format();
  if (!e) throw std::runtime_error("did not compile: " + text);
  return std::move(*e);
}

// The one problem compiling `text` reports; its position is checked by the caller.
data::Problem problem(const std::string& text, const std::vector<std::string>& names = kNames) {
  data::Diagnostics diag;
  EXPECT_FALSE(Expression::compile(text, names, kAt, diag).has_value()) << text;
  EXPECT_EQ(diag.size(), 1u) << diag.format();
  return diag.empty() ? data::Problem{} : diag.problems().front();
}

TEST(Expression, ArithmeticFollowsPrecedence) {
  const std::vector<double> v{2.0, 80.0, 120.0, 150.0, 160.0};
  EXPECT_DOUBLE_EQ(compiled("coat_weight_mg_cm2 * 1.767 * 0.965").evaluate(v), 2.0 * 1.767 * 0.965);
  EXPECT_DOUBLE_EQ(compiled("drying_second_C - drying_first_C").evaluate(v), 40.0);
  EXPECT_DOUBLE_EQ(compiled("1 + coat_weight_mg_cm2 * 3 ^ 2").evaluate(v), 19.0);
  EXPECT_DOUBLE_EQ(compiled("(1 + coat_weight_mg_cm2) * 3").evaluate(v), 9.0);
  EXPECT_DOUBLE_EQ(compiled("-coat_weight_mg_cm2 ^ 2").evaluate(v), -4.0);  // muparser: unary minus binds looser
  EXPECT_DOUBLE_EQ(compiled("drying_first_C < drying_second_C && coat_weight_mg_cm2 > 1 ? 10 : 20").evaluate(v), 10.0);
  EXPECT_DOUBLE_EQ(compiled("2 * _pi").evaluate(v), 2.0 * std::acos(-1.0));
}

TEST(Expression, CallsBuiltInFunctions) {
  const std::vector<double> v{4.0, 1.0, -3.0, 0.0, 0.0};
  EXPECT_DOUBLE_EQ(compiled("sqrt(coat_weight_mg_cm2) + exp(drying_first_C)").evaluate(v), 2.0 + std::exp(1.0));
  EXPECT_DOUBLE_EQ(compiled("max(coat_weight_mg_cm2, drying_first_C, 7) - min(drying_second_C, 0)").evaluate(v), 10.0);
  EXPECT_DOUBLE_EQ(compiled("abs(drying_second_C) * sin(0)").evaluate(v), 0.0);
}

TEST(Expression, NamesMayContainAtAndUsesListsThemAscending) {
  const Expression e = compiled("capacity_mAh_g@3 / capacity_mAh_g@30 + coat_weight_mg_cm2 * 0");
  EXPECT_EQ(e.uses(), (std::vector<std::size_t>{0, 3, 4}));
  EXPECT_DOUBLE_EQ(e.evaluate({5.0, kNaN, kNaN, 200.0, 150.0}), 0.75);  // unused NaNs do not matter
  EXPECT_EQ(e.text(), "capacity_mAh_g@3 / capacity_mAh_g@30 + coat_weight_mg_cm2 * 0");
}

TEST(Expression, AConstantUsesNoName) {
  const Expression e = compiled("2 * 3 + 1", {});
  EXPECT_TRUE(e.uses().empty());
  EXPECT_DOUBLE_EQ(e.evaluate({}), 7.0);
}

TEST(Expression, NaNInAUsedNameGivesNaN) {
  const std::vector<double> v{kNaN, 1.0, 2.0, 3.0, 4.0};
  EXPECT_TRUE(std::isnan(compiled("coat_weight_mg_cm2 + 1").evaluate(v)));
  // muparser alone would give 1 or 2 here: comparisons, max and ?: do not propagate NaN.
  EXPECT_TRUE(std::isnan(compiled("max(coat_weight_mg_cm2, 1)").evaluate(v)));
  EXPECT_TRUE(std::isnan(compiled("coat_weight_mg_cm2 > 0 ? 1 : 2").evaluate(v)));
  EXPECT_DOUBLE_EQ(compiled("drying_first_C + 1").evaluate(v), 2.0);
}

TEST(Expression, ReportsASyntaxErrorAtItsColumn) {
  data::Problem p = problem("coat_weight_mg_cm2 * * 2");
  EXPECT_EQ(p.where.file, "design.toml");
  EXPECT_EQ(p.where.line, 7);
  EXPECT_EQ(p.where.column, 15 + 21);  // the second '*'
  EXPECT_NE(p.message.find("\"*\""), std::string::npos) << p.message;
  EXPECT_NE(p.message.find("; expected"), std::string::npos) << p.message;
  EXPECT_EQ(p.format(), "design.toml:7:36: " + p.message);

  EXPECT_EQ(problem("drying_first_C + ").where.column, 15 + 16);  // right after the '+'
  EXPECT_EQ(problem("(drying_first_C + 1").where.column, 15 + 19);
  EXPECT_EQ(problem("drying_first_C drying_second_C").where.column, 15 + 15);
  EXPECT_EQ(problem("drying_first_C = 3").where.column, 15 + 15);  // assignment would write into the variables
  EXPECT_EQ(problem("drying_first_C += 3").where.column, 15 + 16);
  EXPECT_EQ(problem("drying_first_C, 3").where.column, 15 + 14);
  EXPECT_EQ(problem("drying_first_C > 1 ? 3").where.column, 15 + 19);
  EXPECT_EQ(problem("2 $ 3").where.column, 15 + 2);
}

TEST(Expression, ReportsEveryUnknownNameAtItsColumnWithTheClosestKnownNames) {
  data::Diagnostics diag;
  EXPECT_FALSE(Expression::compile("coat_weigth_mg_cm2 * 2 + drying_frist_C", kNames, kAt, diag));
  ASSERT_EQ(diag.size(), 2u) << diag.format();
  EXPECT_EQ(diag.problems()[0].where.column, 15);
  EXPECT_NE(diag.problems()[0].message.find("\"coat_weigth_mg_cm2\""), std::string::npos);
  EXPECT_NE(diag.problems()[0].message.find("closest: \"coat_weight_mg_cm2\""), std::string::npos)
      << diag.problems()[0].message;
  EXPECT_EQ(diag.problems()[1].where.column, 15 + 25);
  EXPECT_NE(diag.problems()[1].message.find("closest: \"drying_first_C\""), std::string::npos);

  // Nothing close: a list of known names. Names muparser would define on the fly are refused, also with '@'.
  const data::Problem far = problem("1 + zz@7");
  EXPECT_EQ(far.where.column, 15 + 4);
  EXPECT_NE(far.message.find("; expected a known quantity: coat_weight_mg_cm2, drying_first_C"), std::string::npos)
      << far.message;
  // An unknown name before a later syntax error is the problem reported; an unknown function is named as such.
  EXPECT_EQ(problem("1 + zz * * 2").where.column, 15 + 4);
  const data::Problem function = problem("2 * sqr(drying_first_C)");
  EXPECT_EQ(function.where.column, 15 + 4);
  EXPECT_NE(function.message.find("unknown function \"sqr\""), std::string::npos) << function.message;
  EXPECT_NE(function.message.find("\"sqrt\""), std::string::npos) << function.message;
  // A quantity named like a muparser constant would silently be the constant.
  EXPECT_EQ(problem("2 * _pi", {"_pi"}).where.column, 15 + 4);
}

TEST(Expression, RefusesAnEmptyFormula) {
  for (const std::string text : {"", "   \t"}) {
    const data::Problem p = problem(text);
    EXPECT_EQ(p.where.column, 15);
    EXPECT_NE(p.message.find("empty"), std::string::npos) << p.message;
  }
}

TEST(Expression, KeepsWorkingAfterAMove) {
  Expression a = compiled("drying_second_C - drying_first_C");
  Expression b = std::move(a);  // muparser holds the addresses of the bound variables: they must not move
  const std::vector<double> v{0.0, 10.0, 25.0, 0.0, 0.0};
  EXPECT_DOUBLE_EQ(b.evaluate(v), 15.0);
  std::vector<Expression> many;
  for (int i = 0; i < 20; ++i) many.push_back(compiled("drying_first_C * " + std::to_string(i)));  // reallocations
  for (int i = 0; i < 20; ++i) EXPECT_DOUBLE_EQ(many[i].evaluate(v), 10.0 * i);
  b = std::move(many[3]);
  EXPECT_DOUBLE_EQ(b.evaluate(v), 30.0);
}

TEST(Expression, DifferentObjectsEvaluateConcurrently) {
  const Expression sum = compiled("drying_first_C + drying_second_C");
  const Expression product = compiled("drying_first_C * coat_weight_mg_cm2");
  constexpr int kCount = 200000;
  std::vector<double> sums(kCount), products(kCount);
  std::thread first([&] {
    std::vector<double> v(kNames.size(), 0.0);
    for (int i = 0; i < kCount; ++i) {
      v[1] = i;
      v[2] = 2.0 * i;
      sums[i] = sum.evaluate(v);
    }
  });
  std::thread second([&] {
    std::vector<double> v(kNames.size(), 0.0);
    for (int i = 0; i < kCount; ++i) {
      v[0] = 3.0;
      v[1] = i;
      products[i] = product.evaluate(v);
    }
  });
  first.join();
  second.join();
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(sums[i], 3.0 * i) << i;
    ASSERT_EQ(products[i], 3.0 * i) << i;
  }
}

TEST(Expression, RefusesValuesOfTheWrongCount) {
  EXPECT_THROW(compiled("drying_first_C").evaluate({1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace elec::opt
