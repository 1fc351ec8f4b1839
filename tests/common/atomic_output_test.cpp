#include "elec/common/atomic_output.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "elec/io/hdf5.hpp"

namespace elec::common {
namespace {

namespace fs = std::filesystem;

std::string this_host() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// The pid of a child process that has exited and been reaped: a process of this host that is gone.
long dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return static_cast<long>(child);
}

class AtomicOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("elec_atomic_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    return names;
  }
  static void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  static std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::vector<std::string> sorted_listing() const {
    auto names = listing();
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(AtomicOutputTest, TempPathIsBesideFinal) {
  const std::string final_path = (dir_ / "out.h5").string();
  AtomicOutput out(final_path);
  EXPECT_EQ(out.final_path(), final_path);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  EXPECT_EQ(out.temp_path(), final_path + ".tmp-" + host + "-" + std::to_string(::getpid()));
  EXPECT_EQ(fs::path(out.temp_path()).parent_path(), dir_);
}

TEST_F(AtomicOutputTest, UncommittedLeavesNothing) {
  {
    AtomicOutput out((dir_ / "out.txt").string());
    write_text(out.temp_path(), "partial");
    ASSERT_TRUE(fs::exists(out.temp_path()));
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, UncommittedWithoutTempIsFine) {
  { AtomicOutput out((dir_ / "never_written.txt").string()); }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, ExceptionBeforeCommitLeavesNothing) {
  try {
    AtomicOutput out((dir_ / "out.txt").string());
    write_text(out.temp_path(), "partial");
    throw std::runtime_error("validation failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, CommittedLeavesOnlyFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "complete");
    EXPECT_FALSE(fs::exists(final_path));
    out.commit();
    EXPECT_TRUE(fs::exists(final_path));
    EXPECT_FALSE(fs::exists(out.temp_path()));
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "complete");
}

TEST_F(AtomicOutputTest, CommitReplacesExistingFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  write_text(final_path, "old contents");
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "new");
    EXPECT_EQ(read_text(final_path), "old contents");  // untouched until commit
    out.commit();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "new");
}

TEST_F(AtomicOutputTest, UncommittedKeepsExistingFinal) {
  const std::string final_path = (dir_ / "out.txt").string();
  write_text(final_path, "old contents");
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "abandoned");
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(read_text(final_path), "old contents");
}

TEST_F(AtomicOutputTest, CommitFailureNamesBothPaths) {
  const std::string final_path = (dir_ / "missing_dir" / "out.txt").string();
  AtomicOutput out(final_path);
  try {
    out.commit();  // no temp file was written and the directory does not exist
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(out.temp_path()), std::string::npos) << what;
    EXPECT_NE(what.find(final_path), std::string::npos) << what;
  }
}

TEST_F(AtomicOutputTest, WorksWithHdf5File) {
  const std::string final_path = (dir_ / "result.h5").string();
  {
    AtomicOutput out(final_path);
    {
      io::File file = io::File::create(out.temp_path());
      file.write("x", std::vector<double>{1.0, 2.0}, {2});
    }
    out.commit();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"result.h5"});
  io::File file = io::File::open_read(final_path);
  EXPECT_EQ(file.read_doubles("x").data, (std::vector<double>{1.0, 2.0}));
}

// ------------------------------------------------------------------------------------ remove_stale_temporaries

TEST_F(AtomicOutputTest, StaleTemporaryOfADeadProcessOfThisHostIsRemoved) {
  const std::string final_path = path("out.h5");
  const std::string stale = final_path + ".tmp-" + this_host() + "-" + std::to_string(dead_pid());
  write_text(stale, "left by a killed run");
  EXPECT_EQ(remove_stale_temporaries(final_path), 1);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, TemporaryOfALiveProcessIsKept) {
  const std::string final_path = path("out.h5");
  const std::string live = final_path + ".tmp-" + this_host() + "-" + std::to_string(::getpid());
  const std::string parent = final_path + ".tmp-" + this_host() + "-" + std::to_string(::getppid());
  write_text(live, "being written");
  write_text(parent, "being written by the parent");
  EXPECT_EQ(remove_stale_temporaries(final_path), 0);
  EXPECT_EQ(read_text(live), "being written");
  EXPECT_EQ(read_text(parent), "being written by the parent");
}

TEST_F(AtomicOutputTest, TemporaryOfAnotherHostIsKeptEvenWithADeadPid) {
  const std::string final_path = path("out.h5");
  // Another node of a shared file system: its pids mean nothing here.
  const std::string other = final_path + ".tmp-" + this_host() + "x-" + std::to_string(dead_pid());
  const std::string dashed = final_path + ".tmp-node-07-" + std::to_string(dead_pid());
  write_text(other, "another node's");
  write_text(dashed, "another node's");
  EXPECT_EQ(remove_stale_temporaries(final_path), 0);
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(dashed));
}

TEST_F(AtomicOutputTest, OldStyleTemporaryOfADeadPidIsRemoved) {
  const std::string final_path = path("out.h5");
  const std::string old_dead = final_path + ".tmp-" + std::to_string(dead_pid());
  const std::string old_live = final_path + ".tmp-" + std::to_string(::getpid());
  write_text(old_dead, "earlier version");
  write_text(old_live, "earlier version, live");
  EXPECT_EQ(remove_stale_temporaries(final_path), 1);
  EXPECT_FALSE(fs::exists(old_dead));
  EXPECT_TRUE(fs::exists(old_live));
}

TEST_F(AtomicOutputTest, UnrelatedFilesAreKept) {
  const std::string final_path = path("out.h5");
  const long gone = dead_pid();
  const std::string host = this_host();
  const std::vector<std::string> kept{
      "out.h5",                                             // the output itself
      "notes.txt",                                          // unrelated
      "other.h5.tmp-" + host + "-" + std::to_string(gone),  // another output's temporary
      "out.h5.tmp-" + host + "-notapid",                    // not a pid
      "out.h5.tmp-" + host + "-",                           // no pid at all
      "out.h5.tmp-",                                        // nothing after the prefix
      "out.h5.tmp-" + host + "-12345678901",                // too many digits to be a pid
      "xout.h5.tmp-" + host + "-" + std::to_string(gone),   // a longer name ending like ours
      "out.h5.tmp" + std::to_string(gone),                  // no dash
  };
  for (const auto& name : kept) write_text(path(name), name);
  const std::string stale = "out.h5.tmp-" + host + "-" + std::to_string(gone);
  write_text(path(stale), "stale");
  EXPECT_EQ(remove_stale_temporaries(final_path), 1);
  auto expected = kept;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sorted_listing(), expected);
  for (const auto& name : kept) EXPECT_EQ(read_text(path(name)), name) << name;
}

TEST_F(AtomicOutputTest, MissingDirectoryRemovesNothing) {
  EXPECT_EQ(remove_stale_temporaries(path("missing/out.h5")), 0);
}

TEST_F(AtomicOutputTest, ConstructingAnOutputRemovesItsStaleTemporaries) {
  const std::string final_path = path("out.h5");
  const std::string stale = final_path + ".tmp-" + this_host() + "-" + std::to_string(dead_pid());
  write_text(stale, "stale");
  AtomicOutput out(final_path);
  EXPECT_FALSE(fs::exists(stale));
}

// ------------------------------------------------------------------------------------------ write_atomically

TEST_F(AtomicOutputTest, WriteAtomicallyWritesEveryOutputAndLeavesNoTemporary) {
  const std::string a = path("model.h5"), b = path("summary.csv");
  std::vector<std::string> temps;
  write_atomically({{a,
                     [&](const std::string& temp) {
                       temps.push_back(temp);
                       write_text(temp, "model");
                     }},
                    {b, [&](const std::string& temp) {
                       temps.push_back(temp);
                       write_text(temp, "summary");
                     }}});
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"model.h5", "summary.csv"}));
  EXPECT_EQ(read_text(a), "model");
  EXPECT_EQ(read_text(b), "summary");
  ASSERT_EQ(temps.size(), 2u);
  EXPECT_EQ(temps[0], a + ".tmp-" + this_host() + "-" + std::to_string(::getpid()));  // writers get temporaries
  EXPECT_EQ(temps[1], b + ".tmp-" + this_host() + "-" + std::to_string(::getpid()));
}

TEST_F(AtomicOutputTest, WriteAtomicallyRenamesNothingBeforeEveryOutputIsWritten) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, "old a");
  bool a_was_old_while_b_was_written = false;
  write_atomically({{a, [&](const std::string& temp) { write_text(temp, "new a"); }}, {b, [&](const std::string& temp) {
                                                                                         a_was_old_while_b_was_written =
                                                                                             read_text(a) == "old a";
                                                                                         write_text(temp, "new b");
                                                                                       }}});
  EXPECT_TRUE(a_was_old_while_b_was_written);
  EXPECT_EQ(read_text(a), "new a");
  EXPECT_EQ(read_text(b), "new b");
}

TEST_F(AtomicOutputTest, WriteAtomicallyReplacesExistingOutputs) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, "old a");
  write_text(b, "old b");
  write_atomically({{a, [&](const std::string& temp) { write_text(temp, "new a"); }},
                    {b, [&](const std::string& temp) { write_text(temp, "new b"); }}});
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(read_text(a), "new a");
  EXPECT_EQ(read_text(b), "new b");
}

// Old outputs with bytes that text handling could alter (NUL, CR LF, no final newline, non-UTF-8).
const std::string kOldA = std::string("old\0a\r\n\xff", 8), kOldB = std::string("old b\n\0", 7);

TEST_F(AtomicOutputTest, WhenTheSecondWriterThrowsBothOldOutputsAreUnchanged) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, kOldA);
  write_text(b, kOldB);
  try {
    write_atomically(
        {{a, [&](const std::string& temp) { write_text(temp, "new a"); }}, {b, [&](const std::string& temp) {
                                                                              write_text(temp, "half of b");
                                                                              throw std::runtime_error("disk full");
                                                                            }}});
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), b + ": cannot be written (disk full)");
  }
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"a.txt", "b.txt"}));  // no temporary of either
  EXPECT_EQ(read_text(a), kOldA);
  EXPECT_EQ(read_text(b), kOldB);
}

TEST_F(AtomicOutputTest, WhenTheFirstWriterThrowsTheSecondIsNotWritten) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, kOldA);
  bool second_called = false;
  try {
    write_atomically({{a,
                       [&](const std::string& temp) {
                         write_text(temp, "half of a");
                         throw std::invalid_argument("bad value");
                       }},
                      {b, [&](const std::string&) { second_called = true; }}});
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), a + ": cannot be written (bad value)");
  }
  EXPECT_FALSE(second_called);
  EXPECT_EQ(listing(), std::vector<std::string>{"a.txt"});  // b never appears, a's temporary is gone
  EXPECT_EQ(read_text(a), kOldA);
}

TEST_F(AtomicOutputTest, AnOutputErrorFromAWriterPassesThroughUnchanged) {
  const std::string a = path("a.txt");
  try {
    write_atomically({{a, [&](const std::string& temp) {
                         write_text(temp, "x");
                         throw OutputError("exactly this");
                       }}});
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "exactly this");
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicOutputTest, AWriterThatCreatesNoFileIsAnOutputErrorNamingTheOutput) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, kOldA);
  try {
    write_atomically({{a, [&](const std::string& temp) { write_text(temp, "new a"); }},
                      {b, [&](const std::string&) {}}});  // "succeeds" without writing anything
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(b + ": ", 0), 0u) << e.what();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"a.txt"});
  EXPECT_EQ(read_text(a), kOldA);
}

TEST_F(AtomicOutputTest, WriteAtomicallyWithAnHdf5Writer) {
  const std::string a = path("result.h5");
  write_atomically({{a, [&](const std::string& temp) {
                       io::File file = io::File::create(temp);
                       file.write("x", std::vector<double>{3.0}, {1});
                       file.close();
                     }}});
  EXPECT_EQ(listing(), std::vector<std::string>{"result.h5"});
  EXPECT_EQ(io::File::open_read(a).read_doubles("x").data, std::vector<double>{3.0});
}

TEST_F(AtomicOutputTest, AFailedCommitIsAnOutputError) {
  const std::string final_path = path("missing_dir/out.txt");
  AtomicOutput out(final_path);
  EXPECT_THROW(out.commit(), OutputError);
}

TEST_F(AtomicOutputTest, AFailedRenameIsAnOutputErrorAndKeepsWhatWasThere) {
  // The final name is a non-empty directory: rename(2) cannot replace it.
  const std::string final_path = path("out.txt");
  fs::create_directories(final_path + "/inside");
  {
    AtomicOutput out(final_path);
    write_text(out.temp_path(), "new");
    try {
      out.commit();
      FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(final_path + ": cannot commit the output: renaming '" + out.temp_path() + "' to '" +
                               final_path + "' failed",
                           0),
                0u)
          << what;
    }
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"out.txt"});  // the temporary is gone
  EXPECT_TRUE(fs::is_directory(path("out.txt/inside")));
}

// The header's promise: any failure leaves "every existing output as it was". A rename that fails for the second
// output must not leave the first already replaced.
TEST_F(AtomicOutputTest, WhenTheSecondRenameFailsTheFirstOutputIsUnchanged) {
  const std::string a = path("a.txt"), b = path("b.txt");
  write_text(a, kOldA);
  fs::create_directories(b + "/inside");  // b cannot be replaced by a file
  EXPECT_THROW(write_atomically({{a, [&](const std::string& temp) { write_text(temp, "new a"); }},
                                 {b, [&](const std::string& temp) { write_text(temp, "new b"); }}}),
               OutputError);
  EXPECT_EQ(read_text(a), kOldA);
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"a.txt", "b.txt"}));
}

// A command killed between the renames of its outputs left a commit record: the next run completes the renames,
// so the outputs end up all from the killed run, not half from it and half from the one before.
TEST_F(AtomicOutputTest, AnInterruptedCommitIsCompletedByTheNextRun) {
  const std::string out = (dir_ / "o.csv").string(), companion = (dir_ / "o_std.csv").string();
  write_text(out, "new o");          // renamed before the kill
  write_text(companion, "old std");  // not yet renamed
  const long gone = dead_pid();
  const std::string temp = companion + ".tmp-" + this_host() + "-" + std::to_string(gone);
  write_text(temp, "new std");
  write_text((dir_ / (".elec-commit-" + this_host() + "-" + std::to_string(gone))).string(),
             fs::absolute(out).string() + ".tmp-gone\t" + fs::absolute(out).string() + "\n" +
                 fs::absolute(temp).string() + "\t" + fs::absolute(companion).string() + "\n");
  EXPECT_EQ(finish_interrupted_commits(dir_.string()), 1);
  EXPECT_EQ(read_text(out), "new o");
  EXPECT_EQ(read_text(companion), "new std");
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"o.csv", "o_std.csv"}));
}

// A command killed while writing its commit record had renamed nothing: the half-written record is removed and
// the older outputs stay (found by the kill test under load: the record's ".tmp" was left for ever).
TEST_F(AtomicOutputTest, AHalfWrittenCommitRecordOfADeadProcessIsRemoved) {
  const std::string out = (dir_ / "o.csv").string();
  write_text(out, "old o");
  const std::string record =
      (dir_ / (".elec-commit-" + this_host() + "-" + std::to_string(dead_pid()) + ".tmp")).string();
  write_text(record, fs::absolute(out).string() + ".tmp-x\t");
  EXPECT_EQ(finish_interrupted_commits(dir_.string()), 0);
  EXPECT_EQ(read_text(out), "old o");
  EXPECT_EQ(sorted_listing(), std::vector<std::string>{"o.csv"});
  const std::string live =
      (dir_ / (".elec-commit-" + this_host() + "-" + std::to_string(::getpid()) + ".tmp")).string();
  write_text(live, "x\t");
  finish_interrupted_commits(dir_.string());
  EXPECT_TRUE(fs::exists(live));  // a live process's, being written
}

// A live process's commit record is its own business.
TEST_F(AtomicOutputTest, ALiveProcesssCommitRecordIsLeftAlone) {
  const std::string record = (dir_ / (".elec-commit-" + this_host() + "-" + std::to_string(::getpid()))).string();
  write_text(record, "x\ty\n");
  EXPECT_EQ(finish_interrupted_commits(dir_.string()), 0);
  EXPECT_TRUE(fs::exists(record));
}

// Several outputs are renamed under a commit record that is gone once they are all in place.
TEST_F(AtomicOutputTest, WriteAtomicallyLeavesNoCommitRecord) {
  const std::string a = (dir_ / "a.txt").string(), b = (dir_ / "b.txt").string();
  write_atomically(
      {{a, [](const std::string& t) { write_text(t, "A"); }}, {b, [](const std::string& t) { write_text(t, "B"); }}});
  EXPECT_EQ(sorted_listing(), (std::vector<std::string>{"a.txt", "b.txt"}));
}

}  // namespace
}  // namespace elec::common
