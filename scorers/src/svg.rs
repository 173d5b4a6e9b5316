//! A few helpers to write SVG by hand: the visualisers need lines, boxes,
//! circles, text and a colour scale, nothing more.

use std::fmt::Write;

/// An SVG document being written.
pub struct Svg {
    body: String,
    width: f64,
    height: f64,
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            body: String::new(),
            width,
            height,
        }
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, title: Option<&str>) {
        match title {
            Some(t) => writeln!(
                self.body,
                r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="{fill}" shape-rendering="crispEdges"><title>{}</title></rect>"#,
                escape(t)
            ),
            None => writeln!(
                self.body,
                r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="{fill}" shape-rendering="crispEdges"/>"#
            ),
        }
        .unwrap();
    }

    pub fn frame(&mut self, x: f64, y: f64, w: f64, h: f64, stroke: &str, width: f64) {
        writeln!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="none" stroke="{stroke}" stroke-width="{width}"/>"#
        )
        .unwrap();
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        writeln!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="{stroke}" stroke-width="{width}"/>"#
        )
        .unwrap();
    }

    /// A closed or open path through `points`.
    pub fn polyline(&mut self, points: &[(f64, f64)], closed: bool, stroke: &str, width: f64) {
        let mut d = String::with_capacity(points.len() * 16);
        for (i, (x, y)) in points.iter().enumerate() {
            write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }).unwrap();
        }
        if closed {
            d.push_str(" Z");
        }
        writeln!(
            self.body,
            r#"<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round"/>"#
        )
        .unwrap();
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str) {
        writeln!(
            self.body,
            r#"<circle cx="{x:.2}" cy="{y:.2}" r="{r:.2}" fill="{fill}"/>"#
        )
        .unwrap();
    }

    pub fn text(&mut self, x: f64, y: f64, size: f64, fill: &str, text: &str) {
        writeln!(
            self.body,
            r#"<text x="{x:.2}" y="{y:.2}" font-family="sans-serif" font-size="{size}" fill="{fill}">{}</text>"#,
            escape(text)
        )
        .unwrap();
    }

    /// The finished document, on a white background.
    pub fn finish(self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A colour from a blue (0) through green and yellow to red (1) scale.
pub fn heat(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let stops = [
        (0.0, (49.0, 54.0, 149.0)),
        (0.25, (69.0, 117.0, 180.0)),
        (0.5, (171.0, 217.0, 233.0)),
        (0.75, (253.0, 174.0, 97.0)),
        (1.0, (215.0, 48.0, 39.0)),
    ];
    let k = stops.iter().position(|s| s.0 >= t).unwrap_or(4).max(1);
    let (t0, c0) = stops[k - 1];
    let (t1, c1) = stops[k];
    let u = if t1 > t0 { (t - t0) / (t1 - t0) } else { 0.0 };
    let mix = |a: f64, b: f64| (a + (b - a) * u).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(c0.0, c1.0),
        mix(c0.1, c1.1),
        mix(c0.2, c1.2)
    )
}

/// A distinct colour for item `i` of many (golden-angle hues).
pub fn palette(i: usize) -> String {
    let hue = (i as f64 * 137.508) % 360.0;
    format!("hsl({hue:.0},65%,55%)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_scale_ends() {
        assert_eq!(heat(0.0), "#313695");
        assert_eq!(heat(1.0), "#d73027");
        assert_eq!(heat(-3.0), "#313695");
    }

    #[test]
    fn text_is_escaped() {
        let mut s = Svg::new(10.0, 10.0);
        s.text(0.0, 0.0, 10.0, "black", "a<b & c");
        assert!(s.finish().contains(">a&lt;b &amp; c</text>"));
    }
}
