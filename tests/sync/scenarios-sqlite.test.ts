import { defineScenarios } from './scenarios';

defineScenarios('sqlite');
