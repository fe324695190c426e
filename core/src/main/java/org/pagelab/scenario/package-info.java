/**
 * Scenario files: {@link org.pagelab.scenario.Scenario} parses and validates a YAML description of
 * processes and their steps (every error is "FILE:LINE: message"), and
 * {@link org.pagelab.scenario.ScenarioRunner} runs it on a machine, round-robin and deterministic.
 * The format is documented in docs/scenarios.md.
 */
package org.pagelab.scenario;
