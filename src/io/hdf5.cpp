#include "elec/io/hdf5.hpp"

#include <cstddef>
#include <cstring>
#include <functional>
#include <sstream>
#include <utility>

namespace elec::io {

namespace {

// HDF5 prints its error stack to stderr by default; we report it through H5Error instead.
void silence_hdf5() {
  static const bool done = [] {
    // HDF5 1.10 closes files left open at exit and crashes on one whose close already failed (a full disk). Every
    // file is closed explicitly and checked (File::close), so the library's exit-time clean-up is not needed.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

herr_t collect_error(unsigned n, const H5E_error2_t* err, void* client) {
  auto& lines = *static_cast<std::vector<std::string>*>(client);
  std::string line = "#" + std::to_string(n) + " ";
  if (err->func_name != nullptr) line += std::string(err->func_name) + "(): ";
  line += err->desc != nullptr && err->desc[0] != '\0' ? err->desc : "(no description)";
  for (auto& c : line) {
    if (c == '\n') c = ' ';  // some descriptions (H5F_open's) contain a newline
  }
  char minor[256];
  if (H5Eget_msg(err->min_num, nullptr, minor, sizeof minor) > 0) line += std::string(" [") + minor + "]";
  lines.push_back(std::move(line));
  return 0;
}

// Must run right after the failing call: every HDF5 API call clears the default error stack.
std::string error_stack() {
  // Walk a copy (H5Eget_current_stack also clears the default stack), so that the H5Eget_msg calls made while
  // walking cannot disturb the stack being walked.
  std::vector<std::string> lines;
  const hid_t stack = H5Eget_current_stack();
  if (stack >= 0) {
    H5Ewalk2(stack, H5E_WALK_DOWNWARD, collect_error, &lines);
    H5Eclose_stack(stack);
  }
  H5Eclear2(H5E_DEFAULT);
  if (lines.empty()) return "no HDF5 error stack";
  // The outermost call says what failed, the innermost why (a system error, such as a full disk, is quoted there);
  // the frames between are HDF5's internals.
  std::string text = lines.front();
  if (lines.size() > 2) text += "; ...";
  if (lines.size() > 1) text += "; " + lines.back();
  return text;
}

std::string file_name_of(hid_t loc) {
  if (loc < 0) return "?";
  const ssize_t length = H5Fget_name(loc, nullptr, 0);
  if (length < 0) {
    H5Eclear2(H5E_DEFAULT);
    return "?";
  }
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  H5Fget_name(loc, name.data(), name.size());
  name.resize(static_cast<std::size_t>(length));
  return name;
}

std::string describe(const std::string& operation, const std::string& path, const std::string& file) {
  return "HDF5: " + operation + " '" + path + "' in file '" + file + "' failed";
}

// Error of a file-level call (create/open) that has no open file to ask for its name.
[[noreturn]] void fail_file(const std::string& operation, const std::string& file) {
  const std::string stack = error_stack();
  throw H5Error("HDF5: " + operation + " '" + file + "' failed: " + stack);
}

// Error after a failed call on an object of an open file (loc names the file).
[[noreturn]] void fail(hid_t loc, const std::string& operation, const std::string& path) {
  const std::string stack = error_stack();  // before any other HDF5 call
  throw H5Error(describe(operation, path, file_name_of(loc)) + ": " + stack, path);
}

// A problem we detect ourselves (no HDF5 stack to report).
[[noreturn]] void fail_format(hid_t loc, const std::string& operation, const std::string& path,
                              const std::string& why) {
  throw H5Error(describe(operation, path, file_name_of(loc)) + ": " + why, path);
}

Handle check(hid_t id, hid_t loc, const std::string& operation, const std::string& path) {
  if (id < 0) fail(loc, operation, path);
  return Handle(id);
}

void check(herr_t status, hid_t loc, const std::string& operation, const std::string& path) {
  if (status < 0) fail(loc, operation, path);
}

bool check_tri(htri_t value, hid_t loc, const std::string& operation, const std::string& path) {
  if (value < 0) fail(loc, operation, path);
  return value > 0;
}

std::string join(const std::string& parent, const std::string& name) {
  if (!name.empty() && name.front() == '/') return name;
  return parent == "/" ? "/" + name : parent + "/" + name;
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::ostringstream out;
  out << '{';
  for (std::size_t i = 0; i < dims.size(); ++i) out << (i ? ", " : "") << dims[i];
  out << '}';
  return out.str();
}

Handle utf8_string_type(hid_t loc, const std::string& path) {
  Handle type = check(H5Tcopy(H5T_C_S1), loc, "copy string type for", path);
  check(H5Tset_size(type.get(), H5T_VARIABLE), loc, "set variable string size for", path);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), loc, "set UTF-8 character set for", path);
  return type;
}

Handle simple_space(const std::vector<hsize_t>& dims, hid_t loc, const std::string& path) {
  return check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), loc, "create dataspace for",
               path);
}

// Writes a new dataset of 'count' elements laid out as 'dims'.
void write_dataset(hid_t loc, const std::string& group_path, const std::string& name, const void* data,
                   std::size_t count, const std::vector<hsize_t>& dims, hid_t file_type, hid_t mem_type) {
  const std::string path = join(group_path, name);
  if (dims.empty()) throw std::invalid_argument("HDF5: dataset '" + path + "' needs at least one dimension");
  hsize_t product = 1;
  for (const auto d : dims) product *= d;
  if (product != count) {
    throw std::invalid_argument("HDF5: dataset '" + path + "': dims " + dims_text(dims) + " hold " +
                                std::to_string(product) + " elements but the data has " + std::to_string(count));
  }
  Handle space = simple_space(dims, loc, path);
  Handle dataset = check(H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         loc, "create dataset", path);
  if (count == 0) return;  // nothing to transfer (and the buffer may be null)
  check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), loc, "write dataset", path);
}

struct OpenDataset {
  Handle dataset;
  Handle space;
  std::vector<hsize_t> dims;  // scalar -> {1}, null dataspace -> {0}
  std::size_t count = 0;
};

OpenDataset open_dataset(hid_t loc, const std::string& group_path, const std::string& name) {
  const std::string path = join(group_path, name);
  OpenDataset result;
  result.dataset = check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), loc, "open dataset", path);
  result.space = check(H5Dget_space(result.dataset.get()), loc, "get dataspace of", path);
  const H5S_class_t space_class = H5Sget_simple_extent_type(result.space.get());
  if (space_class == H5S_NO_CLASS) fail(loc, "get dataspace class of", path);
  if (space_class == H5S_NULL) {
    result.dims = {0};
  } else if (space_class == H5S_SCALAR) {
    result.dims = {1};
  } else {
    const int rank = H5Sget_simple_extent_ndims(result.space.get());
    if (rank < 0) fail(loc, "get rank of", path);
    result.dims.resize(static_cast<std::size_t>(rank));
    if (H5Sget_simple_extent_dims(result.space.get(), result.dims.data(), nullptr) < 0) {
      fail(loc, "get dims of", path);
    }
  }
  hsize_t count = 1;
  for (const auto d : result.dims) count *= d;
  result.count = static_cast<std::size_t>(count);
  return result;
}

template <class T>
Array<T> read_array(hid_t loc, const std::string& group_path, const std::string& name, hid_t mem_type) {
  const std::string path = join(group_path, name);
  OpenDataset ds = open_dataset(loc, group_path, name);
  Array<T> result;
  result.dims = ds.dims;
  result.data.resize(ds.count);
  if (ds.count > 0) {
    check(H5Dread(ds.dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, result.data.data()), loc, "read dataset",
          path);
  }
  return result;
}

// Turns a fixed-length string element into std::string according to its padding.
std::string fixed_string(const char* begin, std::size_t size, H5T_str_t pad) {
  std::size_t length = 0;
  while (length < size && begin[length] != '\0') ++length;
  if (pad == H5T_STR_SPACEPAD) {
    while (length > 0 && begin[length - 1] == ' ') --length;
  }
  return std::string(begin, length);
}

// Reads 'count' string elements from a dataset or attribute (read(mem_type, buffer) does the transfer).
std::vector<std::string> read_string_elements(hid_t loc, const std::string& path, hid_t stored_type, hid_t space,
                                              std::size_t count, const std::function<herr_t(hid_t, void*)>& read) {
  const H5T_class_t type_class = H5Tget_class(stored_type);
  if (type_class == H5T_NO_CLASS) fail(loc, "get type class of", path);
  if (type_class != H5T_STRING) fail_format(loc, "read strings from", path, "stored type is not a string type");
  const htri_t variable = H5Tis_variable_str(stored_type);
  if (variable < 0) fail(loc, "inspect string type of", path);
  const H5T_cset_t cset = H5Tget_cset(stored_type);
  if (cset == H5T_CSET_ERROR) fail(loc, "get character set of", path);

  std::vector<std::string> result;
  result.reserve(count);
  if (count == 0) return result;
  if (variable > 0) {
    Handle mem_type = check(H5Tcopy(H5T_C_S1), loc, "copy string type for", path);
    check(H5Tset_size(mem_type.get(), H5T_VARIABLE), loc, "set variable string size for", path);
    check(H5Tset_cset(mem_type.get(), cset), loc, "set character set for", path);
    std::vector<char*> buffer(count, nullptr);
    check(read(mem_type.get(), buffer.data()), loc, "read strings", path);
    for (const char* s : buffer) result.emplace_back(s != nullptr ? s : "");
    check(H5Dvlen_reclaim(mem_type.get(), space, H5P_DEFAULT, buffer.data()), loc, "reclaim strings of", path);
  } else {
    const std::size_t size = H5Tget_size(stored_type);
    if (size == 0) fail(loc, "get string size of", path);
    const H5T_str_t pad = H5Tget_strpad(stored_type);
    if (pad == H5T_STR_ERROR) fail(loc, "get string padding of", path);
    Handle mem_type = check(H5Tcopy(stored_type), loc, "copy string type for", path);
    std::vector<char> buffer(count * size);
    check(read(mem_type.get(), buffer.data()), loc, "read strings", path);
    for (std::size_t i = 0; i < count; ++i) result.push_back(fixed_string(buffer.data() + i * size, size, pad));
  }
  return result;
}

struct OpenAttribute {
  Handle attribute;
  Handle type;
  Handle space;
};

OpenAttribute open_attribute(hid_t loc, const std::string& path, const std::string& name) {
  const std::string where = path + " attribute '" + name + "'";
  OpenAttribute result;
  result.attribute = check(H5Aopen(loc, name.c_str(), H5P_DEFAULT), loc, "open", where);
  result.type = check(H5Aget_type(result.attribute.get()), loc, "get type of", where);
  result.space = check(H5Aget_space(result.attribute.get()), loc, "get dataspace of", where);
  const hssize_t points = H5Sget_simple_extent_npoints(result.space.get());
  if (points < 0) fail(loc, "get size of", where);
  if (points != 1) {
    fail_format(loc, "read", where, "expected a single value, found " + std::to_string(points));
  }
  return result;
}

void write_attribute(hid_t loc, const std::string& path, const std::string& name, hid_t file_type, hid_t mem_type,
                     const void* value) {
  const std::string where = path + " attribute '" + name + "'";
  if (check_tri(H5Aexists(loc, name.c_str()), loc, "check", where)) {
    check(H5Adelete(loc, name.c_str()), loc, "delete old", where);
  }
  Handle space = check(H5Screate(H5S_SCALAR), loc, "create dataspace for", where);
  Handle attribute =
      check(H5Acreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), loc, "create", where);
  check(H5Awrite(attribute.get(), mem_type, value), loc, "write", where);
}

template <class T>
T numeric_attribute(hid_t loc, const std::string& path, const std::string& name, hid_t mem_type) {
  const std::string where = path + " attribute '" + name + "'";
  OpenAttribute attr = open_attribute(loc, path, name);
  const H5T_class_t type_class = H5Tget_class(attr.type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    fail_format(loc, "read", where, "stored type is not numeric");
  }
  T value{};
  check(H5Aread(attr.attribute.get(), mem_type, &value), loc, "read", where);
  return value;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------- Handle

Handle::Handle(hid_t id) : id_(id < 0 ? -1 : id) {}

Handle::Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    Handle old(std::exchange(id_, std::exchange(other.id_, -1)));  // closes the previous id
  }
  return *this;
}

Handle::~Handle() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      H5Idec_ref(id_);
      break;  // anything else we were handed: drop our reference
  }
  H5Eclear2(H5E_DEFAULT);  // a failed close must not leak into the next error report
}

// ----------------------------------------------------------------------------------------------------- Group

Group::Group(Handle handle, std::string path) : handle_(std::move(handle)), path_(std::move(path)) { silence_hdf5(); }

Handle Group::release_handle() { return std::move(handle_); }

Group Group::create_group(const std::string& name) {
  const std::string path = join(path_, name);
  Handle link_props = check(H5Pcreate(H5P_LINK_CREATE), id(), "create link properties for", path);
  check(H5Pset_create_intermediate_group(link_props.get(), 1), id(), "set intermediate groups for", path);
  Handle group =
      check(H5Gcreate2(id(), name.c_str(), link_props.get(), H5P_DEFAULT, H5P_DEFAULT), id(), "create group", path);
  return Group(std::move(group), path);
}

Group Group::open_group(const std::string& name) const {
  const std::string path = join(path_, name);
  return Group(check(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), id(), "open group", path), path);
}

bool Group::contains(const std::string& name) const {
  // H5Lexists fails (rather than returning false) when an intermediate link of "a/b" is missing, so check the
  // path one component at a time.
  if (name.empty()) return false;
  std::size_t start = name.front() == '/' ? 1 : 0;
  std::string prefix = name.front() == '/' ? "/" : "";
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (end > start) {
      prefix += (prefix.empty() || prefix.back() == '/' ? "" : "/") + name.substr(start, end - start);
      if (!check_tri(H5Lexists(id(), prefix.c_str(), H5P_DEFAULT), id(), "look up", join(path_, prefix))) {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

void Group::write(const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims) {
  write_dataset(id(), path_, name, data.data(), data.size(), dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

void Group::write(const std::string& name, const std::vector<float>& data, const std::vector<hsize_t>& dims) {
  write_dataset(id(), path_, name, data.data(), data.size(), dims, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT);
}

void Group::write(const std::string& name, const std::vector<std::int64_t>& data, const std::vector<hsize_t>& dims) {
  write_dataset(id(), path_, name, data.data(), data.size(), dims, H5T_STD_I64LE, H5T_NATIVE_INT64);
}

void Group::write(const std::string& name, const std::vector<std::uint8_t>& data, const std::vector<hsize_t>& dims) {
  write_dataset(id(), path_, name, data.data(), data.size(), dims, H5T_STD_U8LE, H5T_NATIVE_UINT8);
}

void Group::write(const std::string& name, const Matrix& matrix) {
  const std::vector<hsize_t> dims{static_cast<hsize_t>(matrix.rows()), static_cast<hsize_t>(matrix.cols())};
  write_dataset(id(), path_, name, matrix.data(), static_cast<std::size_t>(matrix.size()), dims, H5T_IEEE_F64LE,
                H5T_NATIVE_DOUBLE);
}

void Group::write(const std::string& name, const std::vector<std::string>& strings) {
  const std::string path = join(path_, name);
  Handle type = utf8_string_type(id(), path);
  std::vector<const char*> pointers;
  pointers.reserve(strings.size());
  for (const auto& s : strings) pointers.push_back(s.c_str());
  write_dataset(id(), path_, name, pointers.data(), pointers.size(), {static_cast<hsize_t>(strings.size())}, type.get(),
                type.get());
}

Array<double> Group::read_doubles(const std::string& name) const {
  return read_array<double>(id(), path_, name, H5T_NATIVE_DOUBLE);
}

Array<float> Group::read_floats(const std::string& name) const {
  return read_array<float>(id(), path_, name, H5T_NATIVE_FLOAT);
}

Array<std::int64_t> Group::read_int64(const std::string& name) const {
  return read_array<std::int64_t>(id(), path_, name, H5T_NATIVE_INT64);
}

Array<std::uint8_t> Group::read_uint8(const std::string& name) const {
  return read_array<std::uint8_t>(id(), path_, name, H5T_NATIVE_UINT8);
}

Matrix Group::read_matrix(const std::string& name) const {
  const std::string path = join(path_, name);
  OpenDataset ds = open_dataset(id(), path_, name);
  if (ds.dims.size() != 2 || H5Sget_simple_extent_type(ds.space.get()) != H5S_SIMPLE) {
    fail_format(id(), "read matrix", path,
                "expected a 2-D dataset, found rank " + std::to_string(ds.dims.size()) + " dims " + dims_text(ds.dims));
  }
  Matrix matrix(static_cast<Eigen::Index>(ds.dims[0]), static_cast<Eigen::Index>(ds.dims[1]));
  if (matrix.size() > 0) {
    check(H5Dread(ds.dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.data()), id(),
          "read dataset", path);
  }
  return matrix;
}

std::vector<std::string> Group::read_strings(const std::string& name) const {
  const std::string path = join(path_, name);
  OpenDataset ds = open_dataset(id(), path_, name);
  Handle type = check(H5Dget_type(ds.dataset.get()), id(), "get type of", path);
  const hid_t dataset = ds.dataset.get();
  return read_string_elements(id(), path, type.get(), ds.space.get(), ds.count, [dataset](hid_t mem, void* buf) {
    return H5Dread(dataset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  });
}

void Group::set_attribute(const std::string& name, const std::string& value) {
  Handle type = utf8_string_type(id(), path_ + " attribute '" + name + "'");
  const char* pointer = value.c_str();
  write_attribute(id(), path_, name, type.get(), type.get(), &pointer);
}

void Group::set_attribute(const std::string& name, std::int64_t value) {
  write_attribute(id(), path_, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void Group::set_attribute(const std::string& name, double value) {
  write_attribute(id(), path_, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

bool Group::has_attribute(const std::string& name) const {
  return check_tri(H5Aexists(id(), name.c_str()), id(), "check", path_ + " attribute '" + name + "'");
}

std::string Group::string_attribute(const std::string& name) const {
  const std::string where = path_ + " attribute '" + name + "'";
  OpenAttribute attr = open_attribute(id(), path_, name);
  const hid_t attribute = attr.attribute.get();
  auto values = read_string_elements(id(), where, attr.type.get(), attr.space.get(), 1,
                                     [attribute](hid_t mem, void* buf) { return H5Aread(attribute, mem, buf); });
  return values.front();
}

std::int64_t Group::int_attribute(const std::string& name) const {
  return numeric_attribute<std::int64_t>(id(), path_, name, H5T_NATIVE_INT64);
}

double Group::double_attribute(const std::string& name) const {
  return numeric_attribute<double>(id(), path_, name, H5T_NATIVE_DOUBLE);
}

// ------------------------------------------------------------------------------------------------------ File

File::File(Handle handle, std::string filename) : Group(std::move(handle), "/"), filename_(std::move(filename)) {}

File File::create(const std::string& path) {
  silence_hdf5();
  // "Semi" close degree: closing the file fails while an object of it is open, instead of deferring the real
  // close (and its errors) to whenever the last object goes.
  Handle access = check(H5Pcreate(H5P_FILE_ACCESS), -1, "create file access properties for", path);
  check(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), -1, "set close degree for", path);
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
  if (id < 0) fail_file("create file", path);
  return File(Handle(id), path);
}

void File::close() {
  const hid_t file = id();
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) fail_file("flush file", filename_);
  Handle handle = release_handle();
  if (H5Fclose(handle.release()) < 0) fail_file("close file", filename_);
}

File File::open_read(const std::string& path) {
  silence_hdf5();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) fail_file("open file for reading", path);
  return File(Handle(id), path);
}

}  // namespace elec::io
