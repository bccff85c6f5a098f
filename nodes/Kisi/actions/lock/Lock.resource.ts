import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as unlock from './unlock.operation';

export const lock = defineResource({ name: 'Lock', operations: { get, getAll, unlock }, default: 'getAll' });
