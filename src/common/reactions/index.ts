export { Reactions } from './reactions';
export type { ReactionMode, TopicReactors } from './reactions';
export { ReactionsModule } from './reactions.module';
export { askTopic, gatherTopic, tellTopic } from './topics';
export type { AfterCommit, AskTopic, GatherTopic, TellTopic } from './topics';
