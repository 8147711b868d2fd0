#include "oms/allocation/largest_remainder.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace oms::allocation {

namespace {

using u128 = unsigned __int128;

// 128 x 128 -> 256-bit product as (hi, lo).
void mul_wide(u128 a, u128 b, u128& hi, u128& lo) {
  const u128 mask = (static_cast<u128>(1) << 64) - 1;
  const u128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
  lo = (p00 & mask) | (mid << 64);
  hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

__int128 checked_sum(std::span<const __int128> weights) {
  __int128 sum = 0;
  for (const __int128 w : weights) {
    if (w < 0) throw std::invalid_argument("largest_remainder: negative weight");
    if (__builtin_add_overflow(sum, w, &sum)) throw std::overflow_error("largest_remainder: weights overflow");
  }
  if (sum <= 0) throw std::invalid_argument("largest_remainder: weights sum to zero");
  return sum;
}

}  // namespace

QuotRem mul_div_floor(__int128 a, __int128 b, __int128 c) {
  if (a < 0 || b < 0 || c <= 0) throw std::invalid_argument("mul_div_floor: negative operand");
  __int128 p = 0;
  if (!__builtin_mul_overflow(a, b, &p)) return {p / c, p % c};
  // Slow path: 256-bit product, long division by c (< 2^127) one bit at a time.
  u128 hi = 0, lo = 0;
  mul_wide(static_cast<u128>(a), static_cast<u128>(b), hi, lo);
  const u128 d = static_cast<u128>(c);
  if (hi >= d) throw std::overflow_error("mul_div_floor: quotient overflow");
  u128 rem = hi, quot = 0;
  for (int bit = 127; bit >= 0; --bit) {
    rem = (rem << 1) | ((lo >> bit) & 1);  // rem < d < 2^127, so no bit is lost
    quot <<= 1;
    if (rem >= d) {
      rem -= d;
      quot |= 1;
    }
  }
  if (quot >> 127) throw std::overflow_error("mul_div_floor: quotient overflow");
  return {static_cast<__int128>(quot), static_cast<__int128>(rem)};
}

std::vector<std::uint32_t> rank_by_id(std::span<const AccountId> ids) {
  std::vector<std::uint32_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return ids[a] < ids[b]; });
  std::vector<std::uint32_t> rank(ids.size());
  for (std::uint32_t pos = 0; pos < order.size(); ++pos) rank[order[pos]] = pos;
  return rank;
}

void largest_remainder(std::int64_t total, std::span<const __int128> weights, std::span<const std::uint32_t> rank,
                       std::span<std::int64_t> out) {
  const std::size_t n = weights.size();
  if (rank.size() != n || out.size() != n) throw std::invalid_argument("largest_remainder: size mismatch");
  if (total < 0) throw std::invalid_argument("largest_remainder: negative total");
  const __int128 sum = checked_sum(weights);
  // Remainders are numerators over the common denominator `sum`, so they compare directly.
  thread_local std::vector<__int128> rem;
  thread_local std::vector<std::uint32_t> idx;
  rem.resize(n);
  std::int64_t placed = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const QuotRem qr = mul_div_floor(total, weights[i], sum);
    out[i] = static_cast<std::int64_t>(qr.quot);  // <= total
    rem[i] = qr.rem;
    placed += out[i];
  }
  const std::int64_t left = total - placed;  // 0 <= left < number of non-zero remainders
  if (left == 0) return;
  idx.resize(n);
  std::iota(idx.begin(), idx.end(), 0U);
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    return rem[a] != rem[b] ? rem[a] > rem[b] : rank[a] < rank[b];
  };
  const auto cut = idx.begin() + static_cast<std::ptrdiff_t>(left);
  std::nth_element(idx.begin(), cut - 1, idx.end(), before);
  for (auto it = idx.begin(); it != cut; ++it) ++out[*it];
}

std::vector<std::int64_t> largest_remainder(std::int64_t total, std::span<const __int128> weights,
                                            std::span<const std::uint32_t> rank) {
  std::vector<std::int64_t> out(weights.size());
  largest_remainder(total, weights, rank, out);
  return out;
}

std::vector<std::int64_t> apportion_lots(std::int64_t total, std::int64_t lot, std::span<const __int128> weights,
                                         std::span<const std::uint32_t> rank, std::span<const std::int64_t> caps) {
  const std::size_t n = weights.size();
  if (rank.size() != n || (!caps.empty() && caps.size() != n))
    throw std::invalid_argument("apportion_lots: size mismatch");
  if (total < 0 || lot <= 0) throw std::invalid_argument("apportion_lots: negative total or lot not positive");
  const __int128 sum = checked_sum(weights);
  const bool capped = !caps.empty();
  if (capped) {
    __int128 room = 0;
    for (const std::int64_t c : caps) {
      if (c < 0) throw std::invalid_argument("apportion_lots: negative cap");
      room += c;
    }
    if (room < total) throw std::invalid_argument("apportion_lots: caps below the total");
  }
  const auto cap = [&](std::size_t i) { return capped ? caps[i] : INT64_MAX; };

  // ideal[i] = whole[i] + frac[i] / sum; shortfall = (whole - alloc) + frac / sum compares as a pair.
  std::vector<std::int64_t> whole(n), out(n);
  std::vector<__int128> frac(n);
  std::int64_t left = total;
  for (std::size_t i = 0; i < n; ++i) {
    const QuotRem qr = mul_div_floor(total, weights[i], sum);
    whole[i] = static_cast<std::int64_t>(qr.quot);
    frac[i] = qr.rem;
    out[i] = std::min(whole[i] / lot, cap(i) / lot) * lot;
    left -= out[i];
  }
  const auto short_of = [&](std::size_t i) { return whole[i] > out[i] || (whole[i] == out[i] && frac[i] > 0); };
  // Larger shortfall (whole - allocated, then fraction) first, ties to the lower rank: a strict total order.
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const std::int64_t sa = whole[a] - out[a], sb = whole[b] - out[b];
    if (sa != sb) return sa > sb;
    if (frac[a] != frac[b]) return frac[a] > frac[b];
    return rank[a] < rank[b];
  };
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  if (!capped) {
    // Fast path, same result as the general one: exactly left / lot accounts (all short of their ideal)
    // take one more lot each, then the single largest shortfall takes the odd lot.
    const auto extra = static_cast<std::ptrdiff_t>(left / lot);
    if (extra > 0) {
      std::nth_element(order.begin(), order.begin() + (extra - 1), order.end(), before);
      for (std::ptrdiff_t k = 0; k < extra; ++k) out[order[static_cast<std::size_t>(k)]] += lot;
      left -= extra * lot;
    }
    if (left > 0) out[*std::min_element(order.begin(), order.end(), before)] += left;
    return out;
  }
  std::sort(order.begin(), order.end(), before);
  for (const std::uint32_t i : order) {
    if (left < lot) break;
    if (short_of(i) && cap(i) - out[i] >= lot) {
      out[i] += lot;
      left -= lot;
    }
  }
  if (left > 0) {
    std::sort(order.begin(), order.end(), before);
    for (const std::uint32_t i : order) {
      const std::int64_t take = std::min(left, cap(i) - out[i]);
      out[i] += take;
      left -= take;
      if (left == 0) break;
    }
  }
  return out;
}

std::vector<Money> split_money(Money amount, std::span<const __int128> weights, std::span<const std::uint32_t> rank) {
  constexpr std::int64_t kCent = Money::kOne / 100;
  const std::int64_t raw = amount.raw();
  if (raw == INT64_MIN) throw std::overflow_error("split_money: amount out of range");
  const std::int64_t magnitude = raw < 0 ? -raw : raw;
  const std::int64_t unit = magnitude % kCent == 0 ? kCent : 1;
  const std::vector<std::int64_t> parts = largest_remainder(magnitude / unit, weights, rank);
  std::vector<Money> out;
  out.reserve(parts.size());
  for (const std::int64_t p : parts) out.push_back(Money::from_raw(raw < 0 ? -p * unit : p * unit));
  return out;
}

}  // namespace oms::allocation
