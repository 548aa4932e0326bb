//! The speedup chart: measured speedup against k, the ideal line, and an
//! Amdahl fit, from the runs so far of the current workload and size.

use lanes_render::{SpeedupSeries, TimelineStyle};
use lanes_trace::Model;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(super) struct SpeedupProps {
    pub series: Vec<(Model, Vec<(u32, f64)>)>,
    pub dark: bool,
}

#[function_component]
pub(super) fn SpeedupChart(props: &SpeedupProps) -> Html {
    let canvas = use_node_ref();
    let error = use_state(|| None::<String>);
    {
        let canvas = canvas.clone();
        let error = error.clone();
        use_effect_with((props.series.clone(), props.dark), move |(series, dark)| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                let series: Vec<SpeedupSeries> = series
                    .iter()
                    .map(|(m, points)| SpeedupSeries {
                        label: m.title().to_owned(),
                        points: points.clone(),
                    })
                    .collect();
                let style = TimelineStyle {
                    dark: *dark,
                    ..TimelineStyle::default()
                };
                let message = lanes_web::draw_speedup_chart(&canvas, &series, &style)
                    .err()
                    .map(|e| e.to_string());
                if *error != message {
                    error.set(message);
                }
            }
        });
    }
    if props.series.is_empty() {
        return html! {};
    }
    html! {
        <figure class="speedup" id="speedup">
            <figcaption>{ "Speedup against the sequential run, by number of threads" }</figcaption>
            <canvas id="speedup-chart" ref={canvas} role="img" aria-label={crate::state::describe_series(&props.series)}></canvas>
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
        </figure>
    }
}
