#pragma once
// The only file that talks to the HDF5 C API. Handles close themselves; every failed call becomes an H5Error
// carrying HDF5's own error stack, so nothing downstream checks return codes.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "elec/data/matrix.hpp"

namespace elec::io {

class H5Error : public std::runtime_error {
 public:
  explicit H5Error(const std::string& what, std::string object = "")
      : std::runtime_error(what), object_(std::move(object)) {}
  // The object inside the file the failed call was about ("/training/values", "/ attribute 'format'"); "" for
  // the file itself.
  const std::string& object() const { return object_; }

 private:
  std::string object_;
};

// Owns one hid_t and closes it with the right H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id);
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t get() const { return id_; }
  hid_t release() { return std::exchange(id_, -1); }  // the caller closes it

 private:
  hid_t id_ = -1;
};

template <class T>
struct Array {
  std::vector<T> data;        // row-major
  std::vector<hsize_t> dims;  // at least one
};

class Group {
 public:
  explicit Group(Handle handle, std::string path);
  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  bool contains(const std::string& name) const;  // a link of that name exists here
  const std::string& path() const { return path_; }

  // Datasets, row-major, dims multiply to data.size() (checked).
  void write(const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<float>& data, const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<std::int64_t>& data, const std::vector<hsize_t>& dims);
  void write(const std::string& name, const std::vector<std::uint8_t>& data, const std::vector<hsize_t>& dims);
  void write(const std::string& name, const Matrix& matrix);                     // 2-D, rows x cols
  void write(const std::string& name, const std::vector<std::string>& strings);  // 1-D variable-length UTF-8

  // Reads convert to the requested type (HDF5 conversion); the stored rank and dims come back in Array::dims.
  Array<double> read_doubles(const std::string& name) const;
  Array<float> read_floats(const std::string& name) const;
  Array<std::int64_t> read_int64(const std::string& name) const;
  Array<std::uint8_t> read_uint8(const std::string& name) const;
  Matrix read_matrix(const std::string& name) const;  // must be 2-D
  std::vector<std::string> read_strings(const std::string& name) const;

  void set_attribute(const std::string& name, const std::string& value);  // variable-length UTF-8
  void set_attribute(const std::string& name, const char* value) { set_attribute(name, std::string(value)); }
  void set_attribute(const std::string& name, std::int64_t value);
  void set_attribute(const std::string& name, double value);
  bool has_attribute(const std::string& name) const;
  std::string string_attribute(const std::string& name) const;
  std::int64_t int_attribute(const std::string& name) const;
  double double_attribute(const std::string& name) const;

  hid_t id() const { return handle_.get(); }

 protected:
  Handle release_handle();

 private:
  Handle handle_;
  std::string path_;
};

class File : public Group {
 public:
  static File create(const std::string& path);  // truncates
  static File open_read(const std::string& path);
  const std::string& filename() const { return filename_; }
  // Flushes and closes a file being written, checking both: a full disk shows here, not as a silently short
  // file. Every group and dataset opened from it must be closed (out of scope) first, or this throws.
  void close();

 private:
  File(Handle handle, std::string filename);
  std::string filename_;
};

}  // namespace elec::io
