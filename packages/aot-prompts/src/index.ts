export { AotPromptsError, UnknownOptionError, NoWrongOptionError } from './errors';
export { type McItem, type McRejectReason, type McParseResult } from './mc-item';
export { optionString, choiceFor, isAnswerFormatHint, questionSlot, choicesSlot, mcQuestionText } from './mc-text';
export { aotPrompt, aotPositivePrompt, drawWrongOption, aotNegativePrompt, aotNoAnswerPrompt, naiveCotPrompt, ccotSceneGraphPrompt, ccotAnswerPrompt, ddcotDecomposeMessages, ddcotSummarizeMessages, parseDdcotSummary, type ChatMessage } from './templates';
export { parseMathV360K, parseAnswerTurn, withAnswer, labelOptions } from './parse-mathv360k';
export { parseScienceQA, parseM3CoT, type ScienceQaRecord, type M3CotRecord } from './parse-list-records';
export { splitSteps, finalStep, stripStepMarker, type RationaleStep } from './rationale-steps';
export { naiveCotKind } from './naive-cot-kind';
export { normalizeForMatch, statesOption, statesLetter, statesOptionText, statedLetters, statedOptions, stepConclusion, concludesOption } from './states-option';
