//! A simulation sent to a worker as JSON gives the trace `simulate` gives.

use lanes_sim::{CostModel, Options, SimJob, simulate};
use lanes_trace::{Model, Scenario, Workload};

#[test]
fn a_job_survives_json_and_simulates_as_simulate_does() {
    let job = SimJob {
        scenario: Scenario::new(Model::Gil, Workload::Primes, 3, 200_000, 16),
        costs: CostModel::reference(),
        options: Options { cores: 2, seed: 7 },
    };
    let sent: SimJob = serde_json::from_str(&serde_json::to_string(&job).unwrap()).unwrap();
    assert_eq!(sent, job);
    let expected = simulate(&job.scenario, &job.costs, &job.options).unwrap();
    assert_eq!(sent.run().unwrap(), expected);
}
