#pragma once
// FlatMap: the map behind Item (attribute name -> value). A sorted vector with std::map's
// interface and iteration order (names by unsigned bytes), because items are small, read far
// more often than edited, and decoded in name order: one allocation per item instead of one
// node per attribute, and no comparisons while decoding (see AppendSorted).
//
// Unlike std::map, inserting or erasing invalidates iterators and references into the map.

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

template <class V>
class FlatMap {
 public:
  using key_type = std::string;
  using mapped_type = V;
  using value_type = std::pair<std::string, V>;
  using storage_type = std::vector<value_type>;
  using iterator = typename storage_type::iterator;
  using const_iterator = typename storage_type::const_iterator;
  using size_type = std::size_t;

  FlatMap() = default;
  // As std::map: of equal names, the first one given is kept.
  FlatMap(std::initializer_list<value_type> init) {
    entries_.reserve(init.size());
    for (const auto& e : init) insert(e);
  }
  template <class It>
  FlatMap(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }

  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  const_iterator cbegin() const { return entries_.begin(); }
  const_iterator cend() const { return entries_.end(); }
  size_type size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }
  void reserve(size_type n) { entries_.reserve(n); }

  iterator lower_bound(std::string_view name) {
    return std::lower_bound(entries_.begin(), entries_.end(), name, Less);
  }
  const_iterator lower_bound(std::string_view name) const {
    return std::lower_bound(entries_.begin(), entries_.end(), name, Less);
  }
  iterator find(std::string_view name) {
    auto it = lower_bound(name);
    return it != end() && it->first == name ? it : end();
  }
  const_iterator find(std::string_view name) const {
    auto it = lower_bound(name);
    return it != end() && it->first == name ? it : end();
  }
  bool contains(std::string_view name) const { return find(name) != end(); }
  size_type count(std::string_view name) const { return contains(name) ? 1 : 0; }

  V& at(std::string_view name) {
    auto it = find(name);
    if (it == end()) throw std::out_of_range("FlatMap::at");
    return it->second;
  }
  const V& at(std::string_view name) const {
    auto it = find(name);
    if (it == end()) throw std::out_of_range("FlatMap::at");
    return it->second;
  }
  V& operator[](std::string_view name) { return try_emplace(name).first->second; }

  template <class... Args>
  std::pair<iterator, bool> try_emplace(std::string_view name, Args&&... args) {
    auto it = lower_bound(name);
    if (it != end() && it->first == name) return {it, false};
    it = entries_.emplace(it, std::piecewise_construct, std::forward_as_tuple(name),
                          std::forward_as_tuple(std::forward<Args>(args)...));
    return {it, true};
  }
  template <class K, class... Args>
  std::pair<iterator, bool> emplace(K&& name, Args&&... args) {
    return try_emplace(std::string_view(name), std::forward<Args>(args)...);
  }
  std::pair<iterator, bool> insert(const value_type& e) { return try_emplace(e.first, e.second); }
  std::pair<iterator, bool> insert(value_type&& e) {
    auto it = lower_bound(e.first);
    if (it != end() && it->first == e.first) return {it, false};
    return {entries_.insert(it, std::move(e)), true};
  }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(std::string_view name, M&& value) {
    auto [it, inserted] = try_emplace(name);
    it->second = std::forward<M>(value);
    return {it, inserted};
  }

  size_type erase(std::string_view name) {
    auto it = find(name);
    if (it == end()) return 0;
    entries_.erase(it);
    return 1;
  }
  iterator erase(const_iterator it) { return entries_.erase(it); }

  // The slot for a name that sorts after every name present (a decoder reading names in
  // order): appended without a search. Falls back to the ordered insert otherwise.
  V& AppendSorted(std::string_view name) {
    if (entries_.empty() || Less(entries_.back(), name)) {
      return entries_
          .emplace_back(std::piecewise_construct, std::forward_as_tuple(name),
                        std::forward_as_tuple())
          .second;
    }
    return (*this)[name];
  }

  friend bool operator==(const FlatMap& a, const FlatMap& b) { return a.entries_ == b.entries_; }

 private:
  static bool Less(const value_type& e, std::string_view name) {
    return std::string_view(e.first) < name;
  }

  storage_type entries_;
};

}  // namespace localdynamo

#pragma GCC visibility pop
