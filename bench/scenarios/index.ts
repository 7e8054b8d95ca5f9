import { meeting, meetingUnruled, rulesCost, rulesCostPrimedTurns, rulesCostTurns } from './meeting.ts';
import { busyBoard } from './busy-board.ts';
import { manyBoards } from './many-boards.ts';
import { coldOpen } from './cold-open.ts';
import { presenceStorm } from './presence-storm.ts';
import { crossInstance, crossInstancePostgres } from './cross-instance.ts';
import { idleMemory } from './idle-memory.ts';
import { browser } from './browser.ts';
import { history } from './history.ts';
import type { Scenario } from './scenario.ts';

/** Every scenario, in the order a full run goes through them. */
export const scenarios: Scenario[] = [meeting, meetingUnruled, rulesCost, rulesCostPrimedTurns, rulesCostTurns, busyBoard, manyBoards, coldOpen, presenceStorm, crossInstance, crossInstancePostgres, idleMemory, browser, history];
