//! Rendering the Mandelbrot set by escape time: floating-point work whose
//! cost changes from row to row, so equal bands of rows are unequal work.

use std::ops::Range;

use crate::Job;

/// Escape-time rendering of a fixed view of the Mandelbrot set, cut into
/// `tasks` bands of whole rows.
///
/// The view is x ∈ [−2.2, 0.8], y ∈ [−1.125, 1.125] (4 : 3, the whole set),
/// sampled at pixel centres. The result is a checksum of the iteration
/// counts, each weighted by its pixel's position, so that a row computed
/// twice or in the wrong place changes it; it is a sum over pixels, so the
/// bands' checksums add up to the image's in any order. Up to
/// [`Self::MAX_SIZE`] and [`Self::MAX_ITER`] the sum fits in a `u64`, so
/// plain addition of the items' results cannot overflow. Rows through the
/// set cost up to `max_iter` iterations a pixel, rows at the edge of the
/// view a few.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mandelbrot {
    width: u32,
    height: u32,
    max_iter: u32,
    tasks: u32,
}

impl Mandelbrot {
    /// The view's left edge (real part).
    pub const X_MIN: f64 = -2.2;
    /// The view's right edge (real part).
    pub const X_MAX: f64 = 0.8;
    /// The view's bottom edge (imaginary part).
    pub const Y_MIN: f64 = -1.125;
    /// The view's top edge (imaginary part).
    pub const Y_MAX: f64 = 1.125;

    /// The iteration limit [`Self::from_size`] uses.
    pub const MAX_ITER: u32 = 256;
    /// The page's default size: an image 1600 pixels wide (about 300 ms on
    /// one native thread).
    pub const DEFAULT_SIZE: u64 = 1600;
    /// The widest image [`Self::from_size`] makes.
    pub const MAX_SIZE: u64 = 16_384;

    /// A `width` × `height` image with at most `max_iter` iterations a pixel,
    /// in `tasks` bands (each at least one).
    pub fn new(width: u32, height: u32, max_iter: u32, tasks: u32) -> Self {
        Self {
            width: width.max(1),
            height: height.max(1),
            max_iter: max_iter.max(1),
            tasks: tasks.max(1),
        }
    }

    /// The image for the page's `size`: `size` pixels wide (clamped to
    /// 1..=[`Self::MAX_SIZE`]), three quarters of that high, so pixels are
    /// square, and [`Self::MAX_ITER`] iterations at most.
    pub fn from_size(size: u64, tasks: u32) -> Self {
        let width = u32::try_from(size.clamp(1, Self::MAX_SIZE)).unwrap_or(1);
        Self::new(width, width * 3 / 4, Self::MAX_ITER, tasks)
    }

    /// Pixels per row.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Rows.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The iteration limit.
    pub fn max_iter(&self) -> u32 {
        self.max_iter
    }

    /// The rows work item `task` renders: equal bands, give or take a row.
    pub fn task_rows(&self, task: u32) -> Range<u32> {
        let edge = |i: u32| {
            let wide = u64::from(self.height) * u64::from(i) / u64::from(self.tasks);
            u32::try_from(wide).unwrap_or(self.height)
        };
        edge(task.min(self.tasks))..edge(task.saturating_add(1).min(self.tasks))
    }

    /// The point of the complex plane at the centre of pixel (`col`, `row`),
    /// row 0 at the top.
    pub fn point(&self, col: u32, row: u32) -> (f64, f64) {
        let x = Self::X_MIN
            + (Self::X_MAX - Self::X_MIN) * (f64::from(col) + 0.5) / f64::from(self.width);
        let y = Self::Y_MAX
            - (Self::Y_MAX - Self::Y_MIN) * (f64::from(row) + 0.5) / f64::from(self.height);
        (x, y)
    }

    /// The checksum of pixels `cols` of `row` (columns past the edge count
    /// for nothing).
    pub fn segment_checksum(&self, row: u32, cols: Range<u32>) -> u64 {
        let mut sum = 0_u64;
        for col in cols.start..cols.end.min(self.width) {
            let (x, y) = self.point(col, row);
            sum = sum.wrapping_add(
                self.pixel_weight(col, row) * u64::from(escape_time(x, y, self.max_iter)),
            );
        }
        sum
    }

    /// The checksum of one whole row.
    pub fn row_checksum(&self, row: u32) -> u64 {
        self.segment_checksum(row, 0..self.width)
    }

    /// What a pixel's iteration count is multiplied by: its position in
    /// the image, counting from 1.
    fn pixel_weight(&self, col: u32, row: u32) -> u64 {
        u64::from(row) * u64::from(self.width) + u64::from(col) + 1
    }
}

/// The escape time of c = `x` + `y`i: the first n with |zₙ| > 2, where
/// z₀ = 0 and zₙ₊₁ = zₙ² + c, or `max_iter` if there is none up to there
/// (the point is taken to be in the set). Each step is one iteration.
pub fn escape_time(x: f64, y: f64, max_iter: u32) -> u32 {
    let (mut re, mut im) = (0.0_f64, 0.0_f64);
    let mut n = 0;
    while n < max_iter {
        let (re2, im2) = (re * re, im * im);
        if re2 + im2 > 4.0 {
            break;
        }
        im = 2.0 * re * im + y;
        re = re2 - im2 + x;
        n += 1;
    }
    n
}

impl Job for Mandelbrot {
    fn tasks(&self) -> u32 {
        self.tasks
    }

    fn run_task(&self, task: u32) -> u64 {
        let mut sum = 0_u64;
        for row in self.task_rows(task) {
            sum = sum.wrapping_add(self.row_checksum(row));
        }
        sum
    }

    /// The whole image in one pass over its pixels, in reading order.
    fn sequential_twin(&self) -> u64 {
        let mut sum = 0_u64;
        let mut weight = 0_u64;
        for row in 0..self.height {
            for col in 0..self.width {
                weight += 1;
                let (x, y) = self.point(col, row);
                sum = sum.wrapping_add(weight * u64::from(escape_time(x, y, self.max_iter)));
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn total(job: &Mandelbrot) -> u64 {
        (0..job.tasks()).fold(0, |sum, t| sum.wrapping_add(job.run_task(t)))
    }

    #[test]
    fn escape_times_of_known_points() {
        assert_eq!(escape_time(0.0, 0.0, 256), 256); // the centre of the set
        assert_eq!(escape_time(-1.0, 0.0, 256), 256); // a period-2 cycle
        assert_eq!(escape_time(-2.0, 0.0, 256), 256); // the tip: stays at 2
        assert_eq!(escape_time(1.0, 0.0, 256), 3); // 0, 1, 2, 5
        assert_eq!(escape_time(3.0, 0.0, 256), 1); // 0, 3
        assert_eq!(escape_time(0.0, 1.0, 256), 256); // 0, i, −1 + i, −i, …
        assert_eq!(escape_time(0.5, 0.5, 256), 5); // |z₅| ≈ 3.5
        assert_eq!(escape_time(0.0, 0.0, 0), 0);
    }

    #[test]
    fn pixel_centres_span_the_view() {
        let job = Mandelbrot::new(4, 3, 16, 1);
        let (x, y) = job.point(0, 0);
        assert!((x - (-2.2 + 0.375)).abs() < 1e-12 && (y - (1.125 - 0.375)).abs() < 1e-12);
        let (x, y) = job.point(3, 2);
        assert!((x - (0.8 - 0.375)).abs() < 1e-12 && (y - (-1.125 + 0.375)).abs() < 1e-12);
    }

    #[test]
    fn a_tiny_image_has_a_pinned_checksum() {
        // 8 × 6 pixels; computed once and pinned: any change to the view,
        // the sampling or the iteration changes it.
        let job = Mandelbrot::new(8, 6, 64, 3);
        let counts: Vec<u32> = (0..6)
            .flat_map(|row| (0..8).map(move |col| (col, row)))
            .map(|(col, row)| {
                let (x, y) = job.point(col, row);
                escape_time(x, y, 64)
            })
            .collect();
        assert_eq!(
            counts,
            [
                1, 2, 3, 3, 4, 11, 4, 2, //
                1, 3, 3, 5, 64, 64, 64, 3, //
                1, 5, 14, 64, 64, 64, 64, 4, //
                1, 5, 14, 64, 64, 64, 64, 4, //
                1, 3, 3, 5, 64, 64, 64, 3, //
                1, 2, 3, 3, 4, 11, 4, 2, //
            ]
        );
        let weighted: u64 = (1..).zip(&counts).map(|(w, &n)| w * u64::from(n)).sum();
        assert_eq!(job.sequential_twin(), weighted);
        assert_eq!(weighted, 26_402);
        assert_eq!(total(&job), job.sequential_twin());
    }

    #[test]
    fn from_size_keeps_pixels_square() {
        let job = Mandelbrot::from_size(Mandelbrot::DEFAULT_SIZE, 16);
        assert_eq!(
            (job.width(), job.height(), job.max_iter()),
            (1600, 1200, 256)
        );
        let tiny = Mandelbrot::from_size(0, 0);
        assert_eq!((tiny.width(), tiny.height(), tiny.tasks()), (1, 1, 1));
        let huge = Mandelbrot::from_size(u64::MAX, 16);
        assert_eq!(u64::from(huge.width()), Mandelbrot::MAX_SIZE);
        // Even if every pixel of the largest image took every iteration,
        // the checksum would fit.
        let pixels = u128::from(huge.width()) * u128::from(huge.height());
        let bound = u128::from(huge.max_iter()) * pixels * (pixels + 1) / 2;
        assert!(bound <= u128::from(u64::MAX), "{bound}");
    }

    #[test]
    fn rows_through_the_set_cost_more() {
        let job = Mandelbrot::new(64, 48, 256, 16);
        let work = |row| -> u32 {
            (0..64)
                .map(|col| {
                    let (x, y) = job.point(col, row);
                    escape_time(x, y, 256)
                })
                .sum()
        };
        assert!(work(24) > 4 * work(0), "{} vs {}", work(24), work(0));
    }

    proptest! {
        #[test]
        fn bands_tile_the_rows(height in 0_u32..500, tasks in 1_u32..100) {
            let job = Mandelbrot::new(4, height, 8, tasks);
            let mut next = 0;
            for t in 0..job.tasks() {
                let rows = job.task_rows(t);
                prop_assert_eq!(rows.start, next);
                prop_assert!(rows.end >= rows.start);
                next = rows.end;
            }
            prop_assert_eq!(next, job.height());
            prop_assert!(job.task_rows(tasks).is_empty());
        }

        #[test]
        fn any_cut_gives_the_twins_answer(
            width in 1_u32..40, height in 1_u32..30, max_iter in 1_u32..100, tasks in 1_u32..40,
        ) {
            let job = Mandelbrot::new(width, height, max_iter, tasks);
            prop_assert_eq!(total(&job), job.sequential_twin());
        }

        #[test]
        fn segments_add_up_to_the_row(width in 1_u32..200, row in 0_u32..20, cut in 0_u32..200) {
            let job = Mandelbrot::new(width, 20, 64, 1);
            let cut = cut.min(width);
            let parts = job.segment_checksum(row, 0..cut).wrapping_add(job.segment_checksum(row, cut..width + 7));
            prop_assert_eq!(parts, job.row_checksum(row));
        }
    }
}
