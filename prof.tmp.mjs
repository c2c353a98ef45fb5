import { generateBoard, BENCH_CALENDAR } from './dist/apps/cli/src/bench/evaluate.bench.js';
import { evaluate, parseRulepack, loadRulepack } from '#signals';
import { readFileSync } from 'node:fs';
const pack = loadRulepack(parseRulepack(readFileSync('config/rulepacks/national.yaml','utf8')).value);
const b = generateBoard(10000);
for (let i=0;i<3;i++){ const t=performance.now(); evaluate({pupils:b.pupils, records:b.records, calendar:BENCH_CALENDAR, rulepack:pack, asOf:'2026-07-17'}); console.log(b.records.length/(performance.now()-t)*1000); }
