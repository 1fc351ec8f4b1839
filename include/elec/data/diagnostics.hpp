#pragma once
// Input problems are collected, not thrown one at a time: users fix a file once, not once per error.
#include <stdexcept>
#include <string>
#include <vector>

namespace elec::data {

struct SourcePosition {
  std::string file;
  int line = 0;    // 1-based; 0 = whole file
  int column = 0;  // 1-based; 0 = whole line
};

struct Problem {
  SourcePosition where;
  std::string message;         // what was found, what was expected
  std::string format() const;  // "file:line:col: message"
};

class Diagnostics {
 public:
  void add(SourcePosition where, std::string message);
  void append(const Diagnostics& other);
  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }
  const std::vector<Problem>& problems() const { return problems_; }
  std::string format() const;  // one problem per line
  // Throws InputError carrying every problem when there is any.
  void throw_if_any() const;

 private:
  std::vector<Problem> problems_;
};

// Bad input: the CLI prints what() and exits with status 2 before anything is written.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& all_problems) : std::runtime_error(all_problems) {}
};

}  // namespace elec::data
