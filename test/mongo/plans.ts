import type { Document } from 'mongodb';

export interface PlanStage {
  stage: string;
  indexName?: string;
}

/**
 * Every stage of an explain() result's winning plan, whatever its layout: classic plans nest
 * `inputStage`/`inputStages`, slot-based ones (MongoDB 7+) wrap it in `queryPlan`.
 */
export function winningStages(explain: Document): PlanStage[] {
  const planner = (explain.queryPlanner ?? explain.stages?.[0]?.$cursor?.queryPlanner) as Document | undefined;
  if (!planner) throw new Error(`No queryPlanner in explain output: ${JSON.stringify(explain).slice(0, 500)}`);
  const root = (planner.winningPlan?.queryPlan ?? planner.winningPlan) as Document;
  const stages: PlanStage[] = [];
  const visit = (node: Document | undefined): void => {
    if (!node) return;
    stages.push({ stage: String(node.stage), ...(typeof node.indexName === 'string' && { indexName: node.indexName }) });
    visit(node.inputStage as Document | undefined);
    for (const child of (node.inputStages as Document[] | undefined) ?? []) visit(child);
  };
  visit(root);
  return stages;
}
