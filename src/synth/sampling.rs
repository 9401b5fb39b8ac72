//! Sampling error of the Gini for the validation table: the linearised (influence) variable of
//! the person-weighted Gini of per-capita incomes over household weights.
//!
//! With persons v_k = w_k s_k of household k (weight times size), Y = sum v y, N = sum v and
//! A = sum_jk v_j v_k min(y_j, y_k), the Gini is G = 1 - A / (N Y) (the trapezoid form of
//! `income::distribution`). Its derivative by v_k is
//! z_k = ((1 - G)(Y + N y_k) - 2 (C_k + y_k (N - N_k))) / (N Y), where C_k and N_k are the
//! income and persons of households at or below y_k; sum v_k z_k = 0. The Gini is then, to first
//! order, a weighted total of u_k = s_k z_k over households, whose variance under sampling with
//! replacement is sum_k (w_k u_k)^2 (Deville 1999, "Variance estimation for complex statistics
//! and estimators: linearization and residual techniques", Survey Methodology 25(2)).

/// Linearised standard error of the person-weighted Gini of per-capita income `y[k]` with
/// household weights `w[k]` and sizes `size[k]`; 0 for an empty or zero-income sample.
pub fn gini_standard_error(y: &[f64], w: &[f64], size: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_unstable_by(|&a, &b| y[a].total_cmp(&y[b]).then(a.cmp(&b)));
    let v: Vec<f64> = (0..y.len()).map(|k| w[k] * size[k]).collect();
    let n: f64 = v.iter().sum();
    let total: f64 = (0..y.len()).map(|k| v[k] * y[k]).sum();
    if !(n > 0.0 && total > 0.0) {
        return 0.0;
    }
    let (mut cum_n, mut cum_y, mut area) = (0.0, 0.0, 0.0);
    let mut at = vec![(0.0, 0.0); y.len()];
    for &k in &order {
        area += v[k] * (2.0 * cum_y + v[k] * y[k]);
        cum_y += v[k] * y[k];
        cum_n += v[k];
        at[k] = (cum_y, cum_n);
    }
    let gini = 1.0 - area / (n * total);
    let variance: f64 = (0..y.len())
        .map(|k| {
            let (c, nk) = at[k];
            let z = ((1.0 - gini) * (total + n * y[k]) - 2.0 * (c + y[k] * (n - nk))) / (n * total);
            (w[k] * size[k] * z).powi(2)
        })
        .sum();
    variance.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::income::distribution;

    /// The linearised variable is the derivative of the Gini by a household's weight: checked
    /// against central finite differences of `income::distribution`'s Gini, an independent
    /// computation, on a small uneven sample.
    #[test]
    fn the_linearised_variable_is_the_gini_derivative() {
        let y = [3.0, 10.0, 1.0, 25.0, 7.0, 7.5];
        let w = [1.0, 2.0, 0.5, 1.5, 3.0, 1.0];
        let size = [2.0, 1.0, 4.0, 3.0, 1.0, 2.0];
        let se = gini_standard_error(&y, &w, &size);
        let mut by_difference = 0.0;
        for k in 0..y.len() {
            let h = 1e-6;
            let mut up = w;
            up[k] += h;
            let mut down = w;
            down[k] -= h;
            let d = (distribution(&y, &up, &size).gini - distribution(&y, &down, &size).gini)
                / (2.0 * h);
            by_difference += (w[k] * d).powi(2);
        }
        assert!(se > 0.01, "{se}");
        assert!(
            (se - by_difference.sqrt()).abs() < 1e-7 * se,
            "{se} {}",
            by_difference.sqrt()
        );
    }

    #[test]
    fn equal_incomes_have_no_error() {
        assert!(gini_standard_error(&[5.0; 4], &[1.0, 2.0, 3.0, 4.0], &[1.0; 4]).abs() < 1e-12);
    }
}
