#include "elec/io/hdf5.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace elec::io {
namespace {

namespace fs = std::filesystem;

class Hdf5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("elec_hdf5_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

template <class T>
std::vector<T> iota_values(std::size_t n, T start) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(start + static_cast<T>(i));
  return v;
}

TEST_F(Hdf5Test, NumericRoundTripsRanksOneToThree) {
  const std::vector<std::vector<hsize_t>> shapes{{6}, {2, 3}, {2, 3, 4}};
  {
    File file = File::create(path("numbers.h5"));
    for (std::size_t r = 0; r < shapes.size(); ++r) {
      hsize_t n = 1;
      for (auto d : shapes[r]) n *= d;
      const std::string suffix = std::to_string(r + 1);
      std::vector<double> d(n);
      for (hsize_t i = 0; i < n; ++i) d[i] = 0.5 * static_cast<double>(i) - 1e-300;
      file.write("d" + suffix, d, shapes[r]);
      file.write("f" + suffix, iota_values<float>(n, -1.25f), shapes[r]);
      std::vector<std::int64_t> ints = iota_values<std::int64_t>(n, -3);
      ints[0] = std::numeric_limits<std::int64_t>::min();
      ints[n - 1] = std::numeric_limits<std::int64_t>::max();
      file.write("i" + suffix, ints, shapes[r]);
      file.write("u" + suffix, iota_values<std::uint8_t>(n, 250), shapes[r]);  // wraps past 255
    }
  }
  File file = File::open_read(path("numbers.h5"));
  for (std::size_t r = 0; r < shapes.size(); ++r) {
    hsize_t n = 1;
    for (auto d : shapes[r]) n *= d;
    const std::string suffix = std::to_string(r + 1);
    const auto d = file.read_doubles("d" + suffix);
    EXPECT_EQ(d.dims, shapes[r]);
    ASSERT_EQ(d.data.size(), n);
    for (hsize_t i = 0; i < n; ++i) EXPECT_EQ(d.data[i], 0.5 * static_cast<double>(i) - 1e-300);

    const auto f = file.read_floats("f" + suffix);
    EXPECT_EQ(f.dims, shapes[r]);
    EXPECT_EQ(f.data, iota_values<float>(n, -1.25f));

    std::vector<std::int64_t> ints = iota_values<std::int64_t>(n, -3);
    ints[0] = std::numeric_limits<std::int64_t>::min();
    ints[n - 1] = std::numeric_limits<std::int64_t>::max();
    const auto i64 = file.read_int64("i" + suffix);
    EXPECT_EQ(i64.dims, shapes[r]);
    EXPECT_EQ(i64.data, ints);

    const auto u8 = file.read_uint8("u" + suffix);
    EXPECT_EQ(u8.dims, shapes[r]);
    EXPECT_EQ(u8.data, iota_values<std::uint8_t>(n, 250));
  }
}

TEST_F(Hdf5Test, ReadsConvertBetweenTypes) {
  {
    File file = File::create(path("convert.h5"));
    file.write("ints", std::vector<std::int64_t>{1, -2, 3}, {3});
    file.write("small", std::vector<std::uint8_t>{0, 7, 255}, {3});
    file.write("doubles", std::vector<double>{1.5, -2.25}, {2});
  }
  File file = File::open_read(path("convert.h5"));
  EXPECT_EQ(file.read_doubles("ints").data, (std::vector<double>{1.0, -2.0, 3.0}));
  EXPECT_EQ(file.read_int64("small").data, (std::vector<std::int64_t>{0, 7, 255}));
  EXPECT_EQ(file.read_floats("doubles").data, (std::vector<float>{1.5f, -2.25f}));
}

TEST_F(Hdf5Test, EmptyDatasetsOfEveryType) {
  {
    File file = File::create(path("empty.h5"));
    file.write("d", std::vector<double>{}, {0});
    file.write("f", std::vector<float>{}, {0});
    file.write("i", std::vector<std::int64_t>{}, {0});
    file.write("u", std::vector<std::uint8_t>{}, {0});
    file.write("s", std::vector<std::string>{});
    file.write("m", Matrix(0, 4));
    file.write("d2", std::vector<double>{}, {3, 0});
  }
  File file = File::open_read(path("empty.h5"));
  const std::vector<hsize_t> zero{0};
  EXPECT_EQ(file.read_doubles("d").dims, zero);
  EXPECT_TRUE(file.read_doubles("d").data.empty());
  EXPECT_EQ(file.read_floats("f").dims, zero);
  EXPECT_TRUE(file.read_floats("f").data.empty());
  EXPECT_EQ(file.read_int64("i").dims, zero);
  EXPECT_TRUE(file.read_int64("i").data.empty());
  EXPECT_EQ(file.read_uint8("u").dims, zero);
  EXPECT_TRUE(file.read_uint8("u").data.empty());
  EXPECT_TRUE(file.read_strings("s").empty());
  const Matrix m = file.read_matrix("m");
  EXPECT_EQ(m.rows(), 0);
  EXPECT_EQ(m.cols(), 4);
  EXPECT_EQ(file.read_doubles("d2").dims, (std::vector<hsize_t>{3, 0}));
}

TEST_F(Hdf5Test, WriteChecksDims) {
  File file = File::create(path("dims.h5"));
  EXPECT_THROW(file.write("a", std::vector<double>{1, 2, 3}, {2, 2}), std::invalid_argument);
  EXPECT_THROW(file.write("b", std::vector<float>{1}, {0}), std::invalid_argument);
  EXPECT_THROW(file.write("c", std::vector<std::int64_t>{}, {1}), std::invalid_argument);
  EXPECT_THROW(file.write("d", std::vector<std::uint8_t>{1, 2}, {3}), std::invalid_argument);
  EXPECT_THROW(file.write("e", std::vector<double>{1}, {}), std::invalid_argument);
  EXPECT_FALSE(file.contains("a"));  // nothing created on a rejected write
}

TEST_F(Hdf5Test, MatrixRoundTripIsRowMajor) {
  Matrix m(2, 3);
  m << 1, 2, 3, 4, 5, 6;
  {
    File file = File::create(path("matrix.h5"));
    file.write("m", m);
  }
  File file = File::open_read(path("matrix.h5"));
  const auto raw = file.read_doubles("m");
  EXPECT_EQ(raw.dims, (std::vector<hsize_t>{2, 3}));
  EXPECT_EQ(raw.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  const Matrix back = file.read_matrix("m");
  EXPECT_EQ(back.rows(), 2);
  EXPECT_EQ(back.cols(), 3);
  EXPECT_EQ(back, m);
}

TEST_F(Hdf5Test, ReadMatrixRejectsWrongRank) {
  {
    File file = File::create(path("rank.h5"));
    file.write("v", std::vector<double>{1, 2, 3}, {3});
    file.write("cube", std::vector<double>(8, 1.0), {2, 2, 2});
  }
  File file = File::open_read(path("rank.h5"));
  EXPECT_THROW(file.read_matrix("v"), H5Error);
  EXPECT_THROW(file.read_matrix("cube"), H5Error);
  try {
    file.read_matrix("v");
    FAIL() << "expected H5Error";
  } catch (const H5Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/v"), std::string::npos) << what;
    EXPECT_NE(what.find("rank.h5"), std::string::npos) << what;
  }
}

TEST_F(Hdf5Test, StringListsWithNonAscii) {
  const std::vector<std::string> strings{"µm", "", "plain", "Ω·m²", "日本語", std::string(300, 'x')};
  {
    File file = File::create(path("strings.h5"));
    file.write("units", strings);
    file.write("one", std::vector<std::string>{"µm"});
  }
  File file = File::open_read(path("strings.h5"));
  EXPECT_EQ(file.read_strings("units"), strings);
  EXPECT_EQ(file.read_strings("one"), std::vector<std::string>{"µm"});
  EXPECT_THROW(file.read_strings("nope"), H5Error);
}

TEST_F(Hdf5Test, ReadingStringsFromNumbersThrows) {
  {
    File file = File::create(path("mixed.h5"));
    file.write("numbers", std::vector<double>{1, 2}, {2});
    file.write("names", std::vector<std::string>{"a", "b"});
  }
  File file = File::open_read(path("mixed.h5"));
  EXPECT_THROW(file.read_strings("numbers"), H5Error);
  EXPECT_THROW(file.read_doubles("names"), H5Error);
}

TEST_F(Hdf5Test, Attributes) {
  {
    File file = File::create(path("attrs.h5"));
    file.set_attribute("title", "résumé µm");
    file.set_attribute("count", std::int64_t{-42});
    file.set_attribute("scale", 2.5);
    file.set_attribute("empty", std::string());
    Group g = file.create_group("members");
    g.set_attribute("unit", std::string("µm"));
    g.set_attribute("unit", std::string("mm"));  // overwrite, same type
    g.set_attribute("value", std::int64_t{1});
    g.set_attribute("value", 0.25);  // overwrite with a different type
    g.write("W1", std::vector<double>{1.0}, {1});
  }
  File file = File::open_read(path("attrs.h5"));
  EXPECT_TRUE(file.has_attribute("title"));
  EXPECT_FALSE(file.has_attribute("missing"));
  EXPECT_EQ(file.string_attribute("title"), "résumé µm");
  EXPECT_EQ(file.int_attribute("count"), -42);
  EXPECT_EQ(file.double_attribute("scale"), 2.5);
  EXPECT_EQ(file.double_attribute("count"), -42.0);  // converted on read
  EXPECT_EQ(file.string_attribute("empty"), "");
  Group g = file.open_group("members");
  EXPECT_EQ(g.string_attribute("unit"), "mm");
  EXPECT_EQ(g.double_attribute("value"), 0.25);
  EXPECT_THROW(g.string_attribute("value"), H5Error);
  EXPECT_THROW(g.int_attribute("unit"), H5Error);
  EXPECT_THROW(g.string_attribute("missing"), H5Error);
}

TEST_F(Hdf5Test, NestedGroupsAndContains) {
  {
    File file = File::create(path("groups.h5"));
    EXPECT_EQ(file.path(), "/");
    Group a = file.create_group("a");
    EXPECT_EQ(a.path(), "/a");
    Group b = a.create_group("b");
    EXPECT_EQ(b.path(), "/a/b");
    b.write("x", std::vector<std::int64_t>{7}, {1});
    Group deep = file.create_group("p/q/r");  // intermediate groups are created
    EXPECT_EQ(deep.path(), "/p/q/r");
    EXPECT_THROW(file.create_group("a"), H5Error);  // exists already
  }
  File file = File::open_read(path("groups.h5"));
  EXPECT_EQ(file.filename(), path("groups.h5"));
  EXPECT_TRUE(file.contains("a"));
  EXPECT_TRUE(file.contains("a/b"));
  EXPECT_TRUE(file.contains("a/b/x"));
  EXPECT_TRUE(file.contains("/a/b"));
  EXPECT_TRUE(file.contains("p/q/r"));
  EXPECT_FALSE(file.contains("b"));
  EXPECT_FALSE(file.contains("zz/yy"));  // missing intermediate: false, not an error
  Group a = file.open_group("a");
  EXPECT_TRUE(a.contains("b"));
  EXPECT_FALSE(a.contains("x"));
  Group b = a.open_group("b");
  EXPECT_EQ(b.path(), "/a/b");
  EXPECT_EQ(b.read_int64("x").data, std::vector<std::int64_t>{7});
  EXPECT_EQ(file.open_group("a/b").path(), "/a/b");
  EXPECT_THROW(file.open_group("nope"), H5Error);
}

TEST_F(Hdf5Test, OpeningMissingFileNamesIt) {
  const std::string missing = path("does_not_exist.h5");
  try {
    File::open_read(missing);
    FAIL() << "expected H5Error";
  } catch (const H5Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(missing), std::string::npos) << what;
  }
}

TEST_F(Hdf5Test, ErrorsNameObjectPathAndFileAndStack) {
  File file = File::create(path("errors.h5"));
  Group members = file.create_group("members");
  members.write("W1", std::vector<double>{1.0}, {1});
  try {
    members.write("W1", std::vector<double>{2.0}, {1});  // already exists
    FAIL() << "expected H5Error";
  } catch (const H5Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/members/W1"), std::string::npos) << what;
    EXPECT_NE(what.find("errors.h5"), std::string::npos) << what;
    EXPECT_NE(what.find("H5Dcreate2"), std::string::npos) << what;  // from HDF5's error stack
  }
  try {
    members.read_doubles("W2");
    FAIL() << "expected H5Error";
  } catch (const H5Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/members/W2"), std::string::npos) << what;
    EXPECT_NE(what.find("errors.h5"), std::string::npos) << what;
  }
}

TEST_F(Hdf5Test, ReadOnlyFileRejectsWrites) {
  { File file = File::create(path("ro.h5")); }
  File file = File::open_read(path("ro.h5"));
  EXPECT_THROW(file.write("x", std::vector<double>{1}, {1}), H5Error);
  EXPECT_THROW(file.set_attribute("a", 1.0), H5Error);
}

TEST_F(Hdf5Test, CreateTruncates) {
  {
    File file = File::create(path("trunc.h5"));
    file.write("old", std::vector<double>{1}, {1});
  }
  {
    File file = File::create(path("trunc.h5"));
    EXPECT_FALSE(file.contains("old"));
  }
  File file = File::open_read(path("trunc.h5"));
  EXPECT_FALSE(file.contains("old"));
}

TEST_F(Hdf5Test, HandleMovesAndCloses) {
  const hid_t raw = H5Screate(H5S_SCALAR);
  ASSERT_GE(raw, 0);
  Handle a(raw);
  Handle b(std::move(a));
  EXPECT_EQ(a.get(), -1);
  EXPECT_EQ(b.get(), raw);
  Handle c;
  c = std::move(b);
  EXPECT_EQ(c.get(), raw);
  EXPECT_GT(H5Iis_valid(raw), 0);
  c = Handle(H5Tcopy(H5T_NATIVE_DOUBLE));  // closes the dataspace
  EXPECT_LE(H5Iis_valid(raw), 0);
  const hid_t type = c.get();
  { Handle sink(std::move(c)); }
  EXPECT_LE(H5Iis_valid(type), 0);

  // Groups and files (which hold handles) move too; the moved-to object stays usable.
  File file = File::create(path("moves.h5"));
  Group g = file.create_group("g");
  Group moved(std::move(g));
  moved.write("x", std::vector<double>{3.0}, {1});
  EXPECT_EQ(moved.read_doubles("x").data, std::vector<double>{3.0});
}

}  // namespace
}  // namespace elec::io
